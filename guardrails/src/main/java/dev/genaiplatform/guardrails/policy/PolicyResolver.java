package dev.genaiplatform.guardrails.policy;

import java.util.Map;
import java.util.Optional;

/**
 * Picks the policy for a check: the one the caller named, else the tenant's configured policy, else
 * {@code default}. The tenant comes from the verified internal token, never from the request body.
 */
public final class PolicyResolver {

    public static final String DEFAULT = "default";

    private final Map<String, GuardrailPolicy> policies;
    private final Map<String, String> tenantPolicies;

    public PolicyResolver(Map<String, GuardrailPolicy> policies, Map<String, String> tenantPolicies) {
        this.policies = Map.copyOf(policies);
        this.tenantPolicies = Map.copyOf(tenantPolicies);
        if (!this.policies.containsKey(DEFAULT)) {
            throw new IllegalArgumentException("platform.guardrails.policies must define a policy named 'default'");
        }
        this.tenantPolicies.forEach((tenant, policy) -> {
            if (!this.policies.containsKey(policy)) {
                throw new IllegalArgumentException("tenant " + tenant + " names unknown policy " + policy);
            }
        });
    }

    /** The named policy when it exists; empty for an unknown name. */
    public Optional<NamedPolicy> named(String name) {
        GuardrailPolicy policy = policies.get(name);
        return policy == null ? Optional.empty() : Optional.of(new NamedPolicy(name, policy));
    }

    /** The caller's choice when known, else the tenant's, else the default. */
    public NamedPolicy resolve(String requested, String tenant) {
        if (requested != null && policies.containsKey(requested)) {
            return new NamedPolicy(requested, policies.get(requested));
        }
        String name = tenant == null ? DEFAULT : tenantPolicies.getOrDefault(tenant, DEFAULT);
        return new NamedPolicy(name, policies.get(name));
    }

    public record NamedPolicy(String name, GuardrailPolicy policy) {
    }
}
