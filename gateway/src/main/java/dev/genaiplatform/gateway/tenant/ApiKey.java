package dev.genaiplatform.gateway.tenant;

import java.util.HexFormat;
import java.util.Optional;

import org.springframework.web.server.ServerWebExchange;

/**
 * One API key of a tenant, as the gateway knows it: by an id derived from its hash, never by the key.
 * A tenant may hold several keys (for rotation, or one per application); each has its own rate-limit
 * bucket, named by {@link #id()}.
 *
 * @param id the first {@value #ID_LENGTH} hex characters of the key's SHA-256. It names the key's
 *     rate-limit bucket in Redis and appears in logs, metrics and 429 answers; it cannot be turned back
 *     into the key, and is no more guessable than the key itself
 * @param tenant the tenant the key belongs to
 */
public record ApiKey(String id, Tenant tenant) {

    static final int ID_LENGTH = 16;

    private static final String ATTRIBUTE = ApiKey.class.getName();

    static String idOf(byte[] keyHash) {
        return HexFormat.of().formatHex(keyHash).substring(0, ID_LENGTH);
    }

    /** The key the current request was authenticated with (actuator requests have none). */
    public static Optional<ApiKey> find(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }

    /** Makes both this key and its tenant ({@link Tenant#of}) known to the filters that follow. */
    void attachTo(ServerWebExchange exchange) {
        exchange.getAttributes().put(ATTRIBUTE, this);
        tenant.attachTo(exchange);
    }
}
