package dev.genaiplatform.tools.registry;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Least privilege: which registered tools this deployment may run. A tool runs if its risk is at most the
 * ceiling, or if it was granted by name. Checked before the arguments are even parsed, so a denied tool
 * reveals nothing about its inputs.
 */
public final class ToolPolicy {

    private final RiskLevel maxRisk;
    private final Set<String> granted;

    public ToolPolicy(RiskLevel maxRisk, Collection<String> granted) {
        this.maxRisk = maxRisk;
        this.granted = Set.copyOf(granted);
    }

    public boolean allows(PlatformTool tool) {
        return tool.riskLevel().atMost(maxRisk) || granted.contains(tool.name());
    }

    /** Why the tool may not run, in words fit for a model or a user; empty when it may. */
    public Optional<String> denialReason(PlatformTool tool) {
        if (allows(tool)) {
            return Optional.empty();
        }
        return Optional.of("Tool '" + tool.name() + "' has risk level " + tool.riskLevel()
                + "; this deployment runs tools up to " + maxRisk + " unless granted by name.");
    }
}
