package dev.genaiplatform.simulator.limits;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Requests-per-minute and tokens-per-minute allowances per (API key, model), each a {@link TokenBucket}.
 * A request is admitted only if both allowances hold it, and then it spends from both at once, so a
 * refused request costs nothing. State lives in memory, in one map bounded by
 * {@link RateLimitProperties#maxKeys()} (least recently seen pair forgotten first) and guarded by one
 * lock: each decision is a few arithmetic operations, far below the cost of the request it guards.
 */
public final class RateLimiter {

    private final RateLimitProperties properties;
    private final LongSupplier nanoTime;
    private final Map<Key, Buckets> buckets;

    public RateLimiter(RateLimitProperties properties, LongSupplier nanoTime) {
        this.properties = properties;
        this.nanoTime = nanoTime;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Buckets> eldest) {
                return size() > properties.maxKeys();
            }
        };
    }

    /** The tokens a request is charged before it runs: its prompt plus the most it may generate. */
    public long tokensCharged(int promptTokens, Integer maxTokens) {
        return (long) promptTokens + (maxTokens == null ? properties.defaultCompletionTokens() : maxTokens);
    }

    /**
     * Admits one request of {@code tokens} tokens from {@code apiKey} (empty for an anonymous caller) to
     * {@code model}, spending its allowance, or refuses it and spends nothing.
     */
    public RateLimitDecision admit(String apiKey, String model, long tokens) {
        RateLimitProperties.ModelLimits limits = properties.forModel(model);
        if (limits.none()) {
            return RateLimitDecision.UNLIMITED;
        }
        synchronized (buckets) {
            long now = nanoTime.getAsLong();
            Buckets pair = buckets.computeIfAbsent(new Key(apiKey, model), key -> new Buckets(
                    limits.requestsPerMinute() == 0 ? null : new TokenBucket(limits.requestsPerMinute(), now),
                    limits.tokensPerMinute() == 0 ? null : new TokenBucket(limits.tokensPerMinute(), now)));
            return pair.admit(model, tokens, now);
        }
    }

    /** How many (key, model) pairs are tracked now; for tests of the memory bound. */
    int tracked() {
        synchronized (buckets) {
            return buckets.size();
        }
    }

    private record Key(String apiKey, String model) {
    }

    private record Buckets(TokenBucket requests, TokenBucket tokens) {

        RateLimitDecision admit(String model, long tokenCount, long now) {
            if (requests != null) {
                requests.refill(now);
            }
            if (this.tokens != null) {
                this.tokens.refill(now);
            }
            RateLimitDecision.Refusal refusal = refusal(model, tokenCount);
            if (refusal == null) {
                if (requests != null) {
                    requests.take(1);
                }
                if (this.tokens != null) {
                    this.tokens.take(tokenCount);
                }
            }
            return new RateLimitDecision(refusal, allowance(requests), allowance(this.tokens));
        }

        private RateLimitDecision.Refusal refusal(String model, long tokenCount) {
            if (requests != null && !requests.holds(1)) {
                Duration wait = Duration.ofNanos(requests.nanosUntil(1));
                return new RateLimitDecision.Refusal("requests", "Rate limit reached for " + model
                        + " on requests per min (RPM): Limit " + requests.capacity() + ", Used " + requests.used()
                        + ", Requested 1. Please try again in " + GoDuration.format(wait) + ".", wait);
            }
            if (tokens == null || tokens.holds(tokenCount)) {
                return null;
            }
            if (tokenCount > tokens.capacity()) {
                // waiting cannot help: the bucket never holds this much
                return new RateLimitDecision.Refusal("tokens", "Request too large for " + model
                        + " on tokens per min (TPM): Limit " + tokens.capacity() + ", Requested " + tokenCount
                        + ". The input or output tokens must be reduced in order to run successfully.", null);
            }
            Duration wait = Duration.ofNanos(tokens.nanosUntil(tokenCount));
            return new RateLimitDecision.Refusal("tokens", "Rate limit reached for " + model
                    + " on tokens per min (TPM): Limit " + tokens.capacity() + ", Used " + tokens.used()
                    + ", Requested " + tokenCount + ". Please try again in " + GoDuration.format(wait) + ".", wait);
        }

        private static RateLimitDecision.Allowance allowance(TokenBucket bucket) {
            return bucket == null ? null : new RateLimitDecision.Allowance(bucket.capacity(), bucket.remaining(),
                    Duration.ofNanos(bucket.nanosUntilFull()));
        }
    }
}
