package dev.genaiplatform.orchestrator.experiment;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * One A/B experiment on the prompt, under {@code platform.orchestrator.experiment}.
 *
 * @param enabled {@code experiment.enabled} (env {@code EXPERIMENT_ENABLED}); off: every request gets the default
 *                prompt version and no arm
 * @param name    the experiment's name, part of the hash and of the recorded arm ({@code <name>:<arm>})
 * @param arms    the arms in order; their shares (basis points) must sum to 10,000
 * @param tenants the tenants in the experiment; empty: all
 */
@ConfigurationProperties("platform.orchestrator.experiment")
public record ExperimentSettings(@DefaultValue("false") boolean enabled, String name, List<Arm> arms,
                                 List<String> tenants) {

    public ExperimentSettings {
        arms = arms == null ? List.of() : List.copyOf(arms);
        tenants = tenants == null ? List.of() : List.copyOf(tenants);
        if (enabled) {
            if (name == null || name.isBlank() || name.contains(":")) {
                throw new IllegalArgumentException("platform.orchestrator.experiment.name must be set, without ':'");
            }
            int total = arms.stream().mapToInt(Arm::share).sum();
            if (arms.isEmpty() || total != ExperimentAssigner.BUCKETS) {
                throw new IllegalArgumentException(
                        "platform.orchestrator.experiment.arms shares must sum to 10000 basis points, not " + total);
            }
        }
    }

    /**
     * @param name          e.g. {@code A}
     * @param share         basis points of the traffic (10,000 = all)
     * @param promptVersion the prompt version this arm answers with (a key of {@code prompt.versions})
     */
    public record Arm(String name, int share, String promptVersion) {
    }
}
