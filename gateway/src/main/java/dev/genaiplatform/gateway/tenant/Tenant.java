package dev.genaiplatform.gateway.tenant;

/**
 * A customer of the platform. Its keys ({@link ApiKey}) carry the scopes and models; the tenant carries
 * what all its keys share.
 *
 * @param id the tenant id, the {@code tenant} claim of the internal token
 * @param rateLimit the token bucket each of the tenant's keys gets
 */
public record Tenant(String id, RateLimit rateLimit) {

    /**
     * @param replenishRate tokens added per second
     * @param burstCapacity bucket size in tokens
     * @param requestedTokens tokens one request costs
     */
    public record RateLimit(int replenishRate, long burstCapacity, int requestedTokens) {
    }
}
