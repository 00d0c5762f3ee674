package dev.genaiplatform.tools.policy;

import dev.genaiplatform.contracts.tools.RiskTier;

import java.util.List;
import java.util.Map;

/**
 * The policy file as written (see {@code src/main/resources/tool-policy.yml}).
 *
 * @param tools   per tool name: the key scopes a caller needs (default {@code [agent]}), a tier raised above the one
 *                the tool declares (never lowered), and whether every call needs an approval
 * @param tenants per tenant id, or {@code "*"} for every tenant not named: which tools it may call
 *                ({@code "*"} = all) and which of them need an approval on top of the sensitive ones
 */
public record PolicyDocument(Map<String, ToolRule> tools, Map<String, TenantRule> tenants) {

    public PolicyDocument {
        tools = tools == null ? Map.of() : Map.copyOf(tools);
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
    }

    public record ToolRule(List<String> scopes, RiskTier tier, Boolean requireApproval) {
    }

    public record TenantRule(List<String> allow, List<String> requireApproval) {

        public TenantRule {
            allow = allow == null ? List.of() : List.copyOf(allow);
            requireApproval = requireApproval == null ? List.of() : List.copyOf(requireApproval);
        }
    }
}
