package dev.genaiplatform.gateway.tenant;

import java.util.List;
import java.util.Optional;

import org.springframework.web.server.ServerWebExchange;

/**
 * A caller of the platform, known by its API key. Backends trust the {@link #HEADER} the gateway sets
 * and nothing else, which is why the gateway strips any copy a client sends.
 *
 * @param id the tenant id, forwarded as {@value #HEADER}
 * @param models model ids the tenant may use, in configured order
 * @param rateLimit the tenant's token bucket
 */
public record Tenant(String id, List<String> models, RateLimit rateLimit) {

    /** The header backends read the tenant from. */
    public static final String HEADER = "X-Tenant-Id";

    private static final String ATTRIBUTE = Tenant.class.getName();

    public Tenant {
        models = List.copyOf(models);
    }

    public boolean mayUse(String model) {
        return models.contains(model);
    }

    /** The tenant the current request was authenticated as; only valid after authentication ran. */
    public static Tenant of(ServerWebExchange exchange) {
        return exchange.getRequiredAttribute(ATTRIBUTE);
    }

    /** The tenant of the current request, if it was authenticated (actuator requests are not). */
    public static Optional<Tenant> find(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }

    void attachTo(ServerWebExchange exchange) {
        exchange.getAttributes().put(ATTRIBUTE, this);
    }

    /**
     * @param replenishRate tokens added per second
     * @param burstCapacity bucket size in tokens
     * @param requestedTokens tokens one request costs
     */
    public record RateLimit(int replenishRate, long burstCapacity, int requestedTokens) {
    }
}
