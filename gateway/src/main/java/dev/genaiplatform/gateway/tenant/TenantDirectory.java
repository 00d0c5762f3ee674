package dev.genaiplatform.gateway.tenant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.gateway.PlatformGatewayProperties.KeyProperties;
import dev.genaiplatform.gateway.PlatformGatewayProperties.RateLimitProperties;
import dev.genaiplatform.gateway.PlatformGatewayProperties.TenantProperties;

import org.springframework.util.StringUtils;

/**
 * The configured tenants and the hashes of their API keys, read once at startup and written into the key
 * store ({@link ApiKeyStore#seed}); the store is what authenticates requests. A configuration
 * mistake (a key without scopes, a key listed twice or shared by two tenants, an unknown scope, an
 * impossible rate limit) stops the start.
 *
 * <p>Keys are found by their SHA-256 in a hash map. That lookup is not constant-time, and need not be:
 * a caller controls the key, not its hash, so learning how much of a stored hash matched helps nobody
 * find a key whose hash matches.
 */
public final class TenantDirectory {

    private final Map<String, ApiKey> keysByHash;

    private final List<ConfiguredKey> configuredKeys;

    private final List<Tenant> tenants;

    private final Map<String, List<String>> tenantModels;

    public TenantDirectory(Map<String, TenantProperties> configured) {
        Map<String, ApiKey> keys = new HashMap<>();
        Map<String, String> ids = new HashMap<>();
        List<ConfiguredKey> named = new ArrayList<>();
        List<Tenant> built = new ArrayList<>();
        Map<String, List<String>> models = new HashMap<>();
        configured.forEach((tenantId, properties) -> {
            Tenant tenant = tenant(tenantId, properties);
            built.add(tenant);
            models.put(tenantId, properties.models());
            properties.keys().forEach((name, key) -> {
                byte[] hash = hash(tenantId, name, key);
                if (hash == null) {
                    return; // neither api-key nor api-key-sha256: an optional key that is not switched on
                }
                ApiKey apiKey = new ApiKey(ApiKey.idOf(hash), tenant, scopes(tenantId, name, key),
                        models(tenantId, name, key, properties));
                named.add(new ConfiguredKey(name, HexFormat.of().formatHex(hash), apiKey));
                ApiKey previous = keys.putIfAbsent(HexFormat.of().formatHex(hash), apiKey);
                if (previous != null) {
                    throw new IllegalStateException(previous.tenant().equals(tenant)
                            ? "platform.gateway.tenants." + tenantId + " lists the same API key twice"
                            : "Tenants '" + previous.tenant().id() + "' and '" + tenantId + "' have the same API key");
                }
                if (ids.putIfAbsent(apiKey.id(), tenantId) != null) {
                    throw new IllegalStateException("Two API keys share the id " + apiKey.id() + "; replace one of them");
                }
            });
        });
        this.keysByHash = Map.copyOf(keys);
        this.configuredKeys = List.copyOf(named);
        this.tenants = List.copyOf(built);
        this.tenantModels = Map.copyOf(models);
    }

    /** The configured keys with their names and hashes: what the key store is seeded with at start. */
    public List<ConfiguredKey> configuredKeys() {
        return configuredKeys;
    }

    /** The models a configured tenant may use. */
    public List<String> modelsOf(String tenantId) {
        return tenantModels.getOrDefault(tenantId, List.of());
    }

    /**
     * @param name the key's name in configuration ({@code keys.<name>})
     * @param sha256Hex the key's hash
     * @param key the key as the gateway knows it
     */
    public record ConfiguredKey(String name, String sha256Hex, ApiKey key) {
    }

    /** Finds the key, and with it the tenant, scopes and models. */
    public Optional<ApiKey> findByApiKey(String apiKey) {
        return Optional.ofNullable(keysByHash.get(HexFormat.of().formatHex(ApiKeyHash.of(apiKey))));
    }

    public List<Tenant> tenants() {
        return tenants;
    }

    private static byte[] hash(String tenantId, String name, KeyProperties key) {
        boolean plain = StringUtils.hasText(key.apiKey());
        boolean hashed = StringUtils.hasText(key.apiKeySha256());
        if (plain && hashed) {
            throw invalid(tenantId, "keys." + name + " sets both api-key and api-key-sha256; keep one");
        }
        if (plain) {
            return ApiKeyHash.of(key.apiKey());
        }
        if (!hashed) {
            return null;
        }
        try {
            return ApiKeyHash.fromHex(key.apiKeySha256().trim());
        }
        catch (IllegalArgumentException e) {
            throw invalid(tenantId, "keys." + name + ".api-key-sha256 is not a hex SHA-256: " + e.getMessage());
        }
    }

    private static Set<String> scopes(String tenantId, String name, KeyProperties key) {
        if (key.scopes().isEmpty()) {
            throw invalid(tenantId, "keys." + name + ".scopes must name at least one of " + InternalToken.ALL_SCOPES);
        }
        for (String scope : key.scopes()) {
            if (!InternalToken.ALL_SCOPES.contains(scope)) {
                throw invalid(tenantId, "keys." + name + ".scopes: unknown scope '" + scope + "', expected one of "
                        + InternalToken.ALL_SCOPES);
            }
        }
        return new LinkedHashSet<>(key.scopes());
    }

    private static List<String> models(String tenantId, String name, KeyProperties key, TenantProperties tenant) {
        if (key.models().isEmpty()) {
            return tenant.models();
        }
        if (!tenant.models().containsAll(key.models())) {
            throw invalid(tenantId, "keys." + name + ".models must be a subset of the tenant's models " + tenant.models());
        }
        return key.models();
    }

    private static Tenant tenant(String id, TenantProperties properties) {
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
        return new Tenant(id, new Tenant.RateLimit(limit.replenishRate(), limit.burstCapacity(), limit.requestedTokens()));
    }

    private static IllegalStateException invalid(String id, String problem) {
        return new IllegalStateException("platform.gateway.tenants." + id + ": " + problem);
    }
}
