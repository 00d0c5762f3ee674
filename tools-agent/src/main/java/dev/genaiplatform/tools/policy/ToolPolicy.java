package dev.genaiplatform.tools.policy;

import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.tools.policy.PolicyDocument.TenantRule;
import dev.genaiplatform.tools.policy.PolicyDocument.ToolRule;
import dev.genaiplatform.tools.registry.PlatformTool;
import dev.genaiplatform.tools.security.Caller;
import org.springframework.core.io.Resource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Least privilege as data: who may call which tool, and which calls a human must approve. Checked before the
 * arguments are even parsed, so a denied call reveals nothing about the tool's inputs. Deny by default: a tenant
 * without a rule (and no {@code "*"} rule) may call nothing, a tool not in the tenant's {@code allow} list is denied.
 *
 * <p>Order of the checks: the tenant's rule allows the tool; the key holds every scope the tool needs; then the
 * call needs an approval if the tool is {@link RiskTier#SENSITIVE} (always, the file cannot switch that off), or
 * the tool's rule or the tenant's rule says so.
 */
public final class ToolPolicy {

    private static final String ANY = "*";
    private static final List<String> DEFAULT_SCOPES = List.of(InternalToken.SCOPE_AGENT);

    private final PolicyDocument document;

    public ToolPolicy(PolicyDocument document) {
        this.document = document;
    }

    /** Reads the YAML file; unknown keys fail the start, so a typo cannot silently widen or narrow the policy. */
    public static ToolPolicy load(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            JsonMapper mapper = JsonMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
            return new ToolPolicy(mapper.convertValue(tree, PolicyDocument.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the tool policy " + resource, e);
        }
    }

    public Decision decide(PlatformTool tool, Caller caller) {
        TenantRule tenant = document.tenants().getOrDefault(caller.tenant(), document.tenants().get(ANY));
        if (tenant == null || !(tenant.allow().contains(ANY) || tenant.allow().contains(tool.name()))) {
            return Decision.deny("Tenant '" + caller.tenant() + "' may not call tool '" + tool.name() + "'.");
        }
        List<String> missing = scopes(tool).stream().filter(scope -> !caller.hasScope(scope)).toList();
        if (!missing.isEmpty()) {
            return Decision.deny("Tool '" + tool.name() + "' needs key scope(s) " + missing + "; this key has "
                    + caller.scopes().stream().sorted().toList() + ".");
        }
        ToolRule rule = document.tools().get(tool.name());
        boolean approval = tier(tool) == RiskTier.SENSITIVE
                || (rule != null && Boolean.TRUE.equals(rule.requireApproval()))
                || tenant.requireApproval().contains(tool.name());
        return new Decision(true, approval, null);
    }

    /** The tool's tier, raised by the policy file if it says so. */
    public RiskTier tier(PlatformTool tool) {
        ToolRule rule = document.tools().get(tool.name());
        if (rule == null || rule.tier() == null || rule.tier().compareTo(tool.riskTier()) < 0) {
            return tool.riskTier();
        }
        return rule.tier();
    }

    public List<String> scopes(PlatformTool tool) {
        ToolRule rule = document.tools().get(tool.name());
        return rule == null || rule.scopes() == null ? DEFAULT_SCOPES : rule.scopes();
    }

    /** Names the file mentions that no registered tool has: worth a warning at startup (likely a typo). */
    public Set<String> unknownNames(Set<String> registered) {
        Set<String> named = new LinkedHashSet<>(document.tools().keySet());
        document.tenants().values().forEach(rule -> {
            named.addAll(rule.allow());
            named.addAll(rule.requireApproval());
        });
        named.remove(ANY);
        named.removeAll(registered);
        return named;
    }

    /**
     * @param allowed          whether the call may go on
     * @param approvalRequired whether it must wait for a human first
     * @param reason           why not, when not allowed
     */
    public record Decision(boolean allowed, boolean approvalRequired, String reason) {
        static Decision deny(String reason) {
            return new Decision(false, false, reason);
        }
    }
}
