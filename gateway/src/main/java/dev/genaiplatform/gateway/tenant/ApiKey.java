package dev.genaiplatform.gateway.tenant;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.web.server.ServerWebExchange;

/**
 * One API key of a tenant, as the gateway knows it: by an id derived from its hash, never by the key.
 * A tenant may hold several keys (for rotation, or one per application), each with its own scopes,
 * models and rate-limit bucket.
 *
 * @param id the first {@value #ID_LENGTH} hex characters of the key's SHA-256. It names the key's
 *     rate-limit bucket in Redis and is the {@code sub} of the internal token; it cannot be turned back
 *     into the key
 * @param tenant the tenant the key belongs to
 * @param scopes what the key may call ({@code chat}, {@code documents}, {@code agent}, {@code evaluation},
 *     {@code admin}); each route needs one
 * @param models model ids the key may use, in configured order; also what {@code GET /v1/models} lists
 */
public record ApiKey(String id, Tenant tenant, Set<String> scopes, List<String> models) {

    static final int ID_LENGTH = 16;

    private static final String ATTRIBUTE = ApiKey.class.getName();

    public ApiKey {
        scopes = Set.copyOf(scopes);
        models = List.copyOf(models);
    }

    static String idOf(byte[] keyHash) {
        return HexFormat.of().formatHex(keyHash).substring(0, ID_LENGTH);
    }

    public boolean mayUse(String model) {
        return models.contains(model);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** The key the current request was authenticated with (public paths have none). */
    public static Optional<ApiKey> find(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }

    /** The key of the current request; only valid after authentication ran. */
    public static ApiKey of(ServerWebExchange exchange) {
        return exchange.getRequiredAttribute(ATTRIBUTE);
    }

    void attachTo(ServerWebExchange exchange) {
        exchange.getAttributes().put(ATTRIBUTE, this);
    }
}
