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
 * mistake (a tenant without a key, a key listed twice or shared by two tenants, an impossible rate
 * limit) stops the start.
 */
public final class TenantDirectory {

    private final List<Entry> entries;

    private final List<Tenant> tenants;

    public TenantDirectory(Map<String, TenantProperties> configured) {
        List<Entry> keys = new ArrayList<>();
        List<Tenant> built = new ArrayList<>();
        configured.forEach((id, properties) -> {
            Tenant tenant = tenant(id, properties);
            built.add(tenant);
            for (byte[] hash : keyHashes(id, properties)) {
                keys.add(new Entry(hash, new ApiKey(ApiKey.idOf(hash), tenant)));
            }
        });
        requireDistinct(keys);
        this.entries = List.copyOf(keys);
        this.tenants = List.copyOf(built);
    }

    /**
     * Finds the key, and with it the tenant. Every configured hash is compared, in constant time,
     * whatever matches: the time taken says nothing about which key, or how much of a hash, matched.
     */
    public Optional<ApiKey> findByApiKey(String apiKey) {
        byte[] presented = ApiKeyHash.of(apiKey);
        ApiKey found = null;
        for (Entry entry : entries) {
            if (ApiKeyHash.matches(entry.keyHash(), presented)) {
                found = entry.key();
            }
        }
        return Optional.ofNullable(found);
    }

    public List<Tenant> tenants() {
        return tenants;
    }

    private static List<byte[]> keyHashes(String id, TenantProperties properties) {
        List<byte[]> hashes = new ArrayList<>();
        if (StringUtils.hasText(properties.apiKey())) {
            hashes.add(ApiKeyHash.of(properties.apiKey()));
        }
        if (StringUtils.hasText(properties.apiKeySha256())) {
            hashes.add(fromHex(id, "api-key-sha256", properties.apiKeySha256()));
        }
        List<String> more = properties.apiKeysSha256();
        for (int i = 0; i < more.size(); i++) {
            hashes.add(fromHex(id, "api-keys-sha256[" + i + "]", more.get(i)));
        }
        if (hashes.isEmpty()) {
            throw invalid(id, "needs at least one key: api-key-sha256, api-keys-sha256 or (local development) api-key");
        }
        return hashes;
    }

    private static byte[] fromHex(String id, String setting, String hex) {
        try {
            return ApiKeyHash.fromHex(hex == null ? "" : hex.trim());
        }
        catch (IllegalArgumentException e) {
            throw invalid(id, setting + " is not a hex SHA-256: " + e.getMessage());
        }
    }

    /**
     * A key may belong to one tenant only, once. Two different keys whose ids (hash prefixes) collide
     * would share a rate-limit bucket; at 64 bits that is as good as impossible, but cheap to rule out.
     */
    private static void requireDistinct(List<Entry> keys) {
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i + 1; j < keys.size(); j++) {
                ApiKey a = keys.get(i).key();
                ApiKey b = keys.get(j).key();
                if (Arrays.equals(keys.get(i).keyHash(), keys.get(j).keyHash())) {
                    throw new IllegalStateException(a.tenant().equals(b.tenant())
                            ? "platform.gateway.tenants." + a.tenant().id() + " lists the same API key twice"
                            : "Tenants '" + a.tenant().id() + "' and '" + b.tenant().id() + "' have the same API key");
                }
                if (a.id().equals(b.id())) {
                    throw new IllegalStateException("Two API keys share the id " + a.id() + "; replace one of them");
                }
            }
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

    private record Entry(byte[] keyHash, ApiKey key) {
    }
}
