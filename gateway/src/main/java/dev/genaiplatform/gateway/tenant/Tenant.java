package dev.genaiplatform.gateway.tenant;

/**
 * A customer of the platform. Its keys ({@link ApiKey}) carry the scopes and models; the tenant carries
 * what all its keys share: the request rate each key gets, and the budgets all keys draw from together.
 *
 * @param id the tenant id, the {@code tenant} claim of the internal token
 * @param rateLimit the token bucket each of the tenant's keys gets
 * @param budget the tenant's own budgets, where set through the admin API
 */
public record Tenant(String id, RateLimit rateLimit, Budget budget) {

    public Tenant {
        budget = budget == null ? Budget.INHERITED : budget;
    }

    /** A tenant whose budgets all come from configuration. */
    public Tenant(String id, RateLimit rateLimit) {
        this(id, rateLimit, Budget.INHERITED);
    }

    /**
     * @param replenishRate tokens added per second
     * @param burstCapacity bucket size in tokens
     * @param requestedTokens tokens one request costs
     */
    public record RateLimit(int replenishRate, long burstCapacity, int requestedTokens) {

        /** Requests per minute the bucket refills: replenish-rate × 60 / requested-tokens. */
        public double requestsPerMinute() {
            return replenishRate * 60.0 / requestedTokens;
        }

        /** Requests a full bucket holds. */
        public long burst() {
            return burstCapacity / requestedTokens;
        }
    }

    /**
     * A tenant's own budgets; a null field falls back to configuration
     * ({@code platform.gateway.budget.tenants.<id>}, else {@code .defaults}).
     *
     * @param tokensPerMinute prompt + completion tokens per calendar minute
     * @param tokensPerDay per UTC day
     * @param costPerMonthMicros micro-dollars per UTC month
     */
    public record Budget(Long tokensPerMinute, Long tokensPerDay, Long costPerMonthMicros) {

        public static final Budget INHERITED = new Budget(null, null, null);
    }
}
