package dev.genaiplatform.gateway.tenant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.genaiplatform.gateway.PlatformGatewayProperties.RateLimitProperties;
import dev.genaiplatform.gateway.PlatformGatewayProperties.TenantProperties;

import org.springframework.util.StringUtils;

/**
 * The configured tenants and the hashes of their API keys. Built once at startup; a configuration
 * mistake (no key, two keys, a key shared by two tenants, an impossible rate limit) stops the start.
 */
public final class TenantDirectory {

    private final List<Entry> entries;

    public TenantDirectory(Map<String, TenantProperties> tenants) {
        List<Entry> built = new ArrayList<>();
        tenants.forEach((id, properties) -> built.add(new Entry(keyHash(id, properties), tenant(id, properties))));
        for (int i = 0; i < built.size(); i++) {
            for (int j = i + 1; j < built.size(); j++) {
                if (Arrays.equals(built.get(i).keyHash(), built.get(j).keyHash())) {
                    throw new IllegalStateException("Tenants '" + built.get(i).tenant().id() + "' and '"
                            + built.get(j).tenant().id() + "' have the same API key");
                }
            }
        }
        this.entries = List.copyOf(built);
    }

    /**
     * Finds the tenant whose key this is. Every configured hash is compared, in constant time, whatever
     * matches: the time taken says nothing about which tenant, or how much of a hash, matched.
     */
    public Optional<Tenant> findByApiKey(String apiKey) {
        byte[] presented = ApiKeyHash.of(apiKey);
        Tenant found = null;
        for (Entry entry : entries) {
            if (ApiKeyHash.matches(entry.keyHash(), presented)) {
                found = entry.tenant();
            }
        }
        return Optional.ofNullable(found);
    }

    public List<Tenant> tenants() {
        return entries.stream().map(Entry::tenant).toList();
    }

    private static byte[] keyHash(String id, TenantProperties properties) {
        boolean hashed = StringUtils.hasText(properties.apiKeySha256());
        boolean plain = StringUtils.hasText(properties.apiKey());
        if (hashed == plain) {
            throw invalid(id, "set exactly one of api-key-sha256 (normal) or api-key (local development)");
        }
        if (plain) {
            return ApiKeyHash.of(properties.apiKey());
        }
        try {
            return ApiKeyHash.fromHex(properties.apiKeySha256().trim());
        }
        catch (IllegalArgumentException e) {
            throw invalid(id, "api-key-sha256 is not a hex SHA-256: " + e.getMessage());
        }
    }

    private static Tenant tenant(String id, TenantProperties properties) {
        if (properties.models() == null || properties.models().isEmpty()) {
            throw invalid(id, "models must list at least one model id");
        }
        RateLimitProperties limit = properties.rateLimit();
        if (limit == null) {
            throw invalid(id, "rate-limit.replenish-rate and rate-limit.burst-capacity are required");
        }
        if (limit.replenishRate() < 1 || limit.burstCapacity() < limit.replenishRate()) {
            throw invalid(id, "rate-limit needs replenish-rate >= 1 and burst-capacity >= replenish-rate");
        }
        if (limit.requestedTokens() < 1 || limit.requestedTokens() > limit.burstCapacity()) {
            throw invalid(id, "rate-limit.requested-tokens must be between 1 and burst-capacity");
        }
        return new Tenant(id, properties.models(),
                new Tenant.RateLimit(limit.replenishRate(), limit.burstCapacity(), limit.requestedTokens()));
    }

    private static IllegalStateException invalid(String id, String problem) {
        return new IllegalStateException("platform.gateway.tenants." + id + ": " + problem);
    }

    private record Entry(byte[] keyHash, Tenant tenant) {
    }
}
