package dev.genaiplatform.gateway.ratelimit;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.genaiplatform.gateway.tenant.ApiKey;
import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * A chat completion's rate-limit check, put off from the door to the budget reservation so that one Redis script
 * takes the bucket's token and reserves the budget in one round trip instead of two (README, Benchmark, "Wave 10").
 * The answers stay those of a check made at the door: whoever settles it first, exactly once, applies the bucket's
 * verdict with {@link ApiKeyRateLimitFilter}'s own rules (429 with {@code Retry-After}, the {@code X-RateLimit-*}
 * headers, the unavailable counter and fail-open), before anything else is answered:
 * <ul>
 * <li>the budget filter, with the folded script ({@link #claim}, then {@link #decide});</li>
 * <li>any refusal on the way there (scope, size, validation, stream cap): the bucket is asked alone first and an
 * empty bucket's 429 replaces the refusal, as it would have come first at the door;</li>
 * <li>a request that ends otherwise (its client gone): the token is still taken, in the background.</li>
 * </ul>
 */
public final class PendingRateLimit {

    private static final String ATTRIBUTE = PendingRateLimit.class.getName();

    /** What Spring Cloud Gateway's limiter answers when Redis cannot be asked: allowed, -1 tokens left. */
    public static final List<Long> UNAVAILABLE = List.of(1L, -1L);

    private final ApiKeyRateLimitFilter filter;

    private final ApiKey key;

    private final String settings;

    private final AtomicBoolean settled = new AtomicBoolean();

    PendingRateLimit(ApiKeyRateLimitFilter filter, ApiKey key, String settings) {
        this.filter = filter;
        this.key = key;
        this.settings = settings;
    }

    void attachTo(ServerWebExchange exchange) {
        exchange.getAttributes().put(ATTRIBUTE, this);
    }

    /** The exchange's pending check, if it has one nobody has settled yet; the caller now settles it. */
    public static Optional<PendingRateLimit> claim(ServerWebExchange exchange) {
        PendingRateLimit pending = exchange.getAttribute(ATTRIBUTE);
        return pending != null && pending.claim() ? Optional.of(pending) : Optional.empty();
    }

    boolean claim() {
        return settled.compareAndSet(false, true);
    }

    /** The bucket's Redis keys, for the folded script. */
    public List<String> bucketKeys() {
        return filter.rateLimiter().bucketKeys(settings, key.id());
    }

    /** The bucket script's arguments, for the folded script. */
    public List<String> bucketArguments() {
        return filter.rateLimiter().bucketArguments(settings);
    }

    /**
     * Applies the bucket's answer ({allowed 1/0, tokens left}, or {@link #UNAVAILABLE}): completes to go on, with
     * the rate-limit headers registered, or fails with the answer to send.
     */
    public Mono<Void> decide(ServerWebExchange exchange, List<Long> answer) {
        return filter.apply(exchange, key, filter.rateLimiter().response(settings, answer));
    }

    /** Settles the check with the bucket script alone, the way the door used to. */
    public Mono<Void> askAlone(ServerWebExchange exchange) {
        return filter.rateLimiter().isAllowed(settings, key.id())
            .flatMap(decision -> filter.apply(exchange, key, decision));
    }

    /** Takes the token without waiting for the answer: the request has ended, but it was made. */
    void takeTokenInBackground() {
        filter.rateLimiter().isAllowed(settings, key.id()).subscribe(decision -> { }, failure -> { });
    }
}
