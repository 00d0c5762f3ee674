package dev.genaiplatform.gateway.ratelimit;

import java.time.Duration;
import java.util.Map;

import dev.genaiplatform.gateway.FilterOrder;
import dev.genaiplatform.contracts.http.PlatformHttpHeaders;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.gateway.problem.Problems;
import dev.genaiplatform.gateway.tenant.ApiKey;
import dev.genaiplatform.gateway.observability.SampledLog;
import dev.genaiplatform.gateway.tenant.Tenant;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * One token bucket per API key in Redis, so that every gateway replica shares the same count. The
 * bucket is Spring Cloud Gateway's {@link RedisRateLimiter} (its atomic Lua script); this filter only
 * replaces the stock RequestRateLimiter filter's answer, an empty 429, with a problem+json that says
 * when to retry ({@code Retry-After}) and the {@code X-RateLimit-*} headers, which successful responses
 * carry too.
 *
 * <p>Per key rather than per tenant: a leaked or runaway key (a client stuck in a retry loop) empties
 * only its own bucket, and the tenant's other applications keep working while the bad key is revoked.
 * The price is that a tenant's total rate is its per-key rate times its number of keys. All keys of a
 * tenant share the tenant's settings: the settings are registered once per distinct limit
 * ({@link TenantRateLimiter}; RedisRateLimiter calls that the "route id") and each key is asked about under
 * its own id, which names its bucket ({@code request_rate_limiter.{<key id>}.tokens}).
 *
 * <p>When Redis cannot be asked, RedisRateLimiter logs the error and allows the request (fail-open),
 * reporting -1 remaining tokens (in its headers, which are on unless
 * {@code spring.cloud.gateway.server.webflux.redis-rate-limiter.include-headers} is false). This filter
 * counts those requests
 * ({@code gateway.ratelimit.unavailable}) and, with {@code rate-limit-fail-open: false}, turns them
 * into a 503 instead: availability versus strict protection of the model budget is a deployment choice.
 *
 * <p>A chat completion's check is made later, in one Redis script with its budget reservation, with the same
 * answers ({@link PendingRateLimit}); every other request is checked here.
 */
public final class ApiKeyRateLimitFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyRateLimitFilter.class);

    private final TenantRateLimiter rateLimiter;

    private final boolean failOpen;

    private final Counter unavailable;

    private final Counter rejected;

    private final SampledLog unavailableLog = new SampledLog(log, Duration.ofSeconds(10));

    private final SampledLog rejectedLog = new SampledLog(log, Duration.ofSeconds(10));

    public ApiKeyRateLimitFilter(TenantRateLimiter rateLimiter, boolean failOpen, MeterRegistry meters) {
        this.rateLimiter = rateLimiter;
        this.failOpen = failOpen;
        this.unavailable = meters.counter("gateway.ratelimit.unavailable");
        this.rejected = meters.counter("gateway.ratelimit.rejected");
    }

    @Override
    public int getOrder() {
        return FilterOrder.RATE_LIMIT;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ApiKey key = ApiKey.find(exchange).orElse(null);
        if (key == null) {
            return chain.filter(exchange); // a public path: not authenticated, not limited
        }
        String settings = rateLimiter.settingsFor(key.tenant().rateLimit());
        if (isChatCompletion(exchange)) {
            return deferred(exchange, chain, new PendingRateLimit(this, key, settings));
        }
        return rateLimiter.isAllowed(settings, key.id())
            .flatMap(decision -> apply(exchange, key, decision))
            .then(Mono.defer(() -> chain.filter(exchange)));
    }

    /**
     * A chat completion's check waits for its budget reservation, which takes the bucket's token in the same script
     * ({@link PendingRateLimit}); a refusal before that first asks the bucket, whose 429 wins as it did at the door.
     */
    private Mono<Void> deferred(ServerWebExchange exchange, WebFilterChain chain, PendingRateLimit pending) {
        pending.attachTo(exchange);
        return chain.filter(exchange)
            .onErrorResume(refusal -> pending.claim() ? pending.askAlone(exchange).then(Mono.error(refusal))
                    : Mono.error(refusal))
            .doFinally(signal -> {
                if (pending.claim()) { // ended without reaching the budget (a client gone): the request still counts
                    pending.takeTokenInBackground();
                }
            });
    }

    private static boolean isChatCompletion(ServerWebExchange exchange) {
        return exchange.getRequest().getMethod() == HttpMethod.POST
                && AdmissionFilter.CHAT_PATH.equals(exchange.getRequest().getPath().value());
    }

    TenantRateLimiter rateLimiter() {
        return rateLimiter;
    }

    /**
     * The bucket's verdict: completes to let the request go on (the rate-limit headers registered for its answer),
     * or fails with 429 (empty bucket) or 503 (Redis unavailable and fail-open off).
     */
    Mono<Void> apply(ServerWebExchange exchange, ApiKey key, RateLimiter.Response decision) {
        Tenant tenant = key.tenant();
        Map<String, String> headers = decision.getHeaders();
        if ("-1".equals(headers.get(RedisRateLimiter.REMAINING_HEADER))) {
            unavailable.increment();
            if (!failOpen) {
                return Mono.error(Problems.exception(ProblemType.DEPENDENCY_UNAVAILABLE,
                        "The rate limiter is unavailable; try again later."));
            }
            unavailableLog.info("Rate limiter unavailable, letting requests through ({} similar lines suppressed)");
            return Mono.empty();
        }
        if (!decision.isAllowed()) {
            // No tenant or key in metric tags: the scrape endpoint must not list who the customers are.
            rejected.increment();
            rejectedLog.info("API key {} of tenant {} over its rate limit ({} similar lines suppressed)", key.id(), tenant.id());
            return Mono.error(tooManyRequests(key, headers));
        }
        exchange.getResponse().beforeCommit(() -> {
            HttpHeaders response = exchange.getResponse().getHeaders();
            headers.forEach(response::set);
            openAiHeaders(tenant.rateLimit(), headers).forEach(response::set);
            return Mono.empty();
        });
        return Mono.empty();
    }

    private static ErrorResponseException tooManyRequests(ApiKey key, Map<String, String> headers) {
        long tokensLeft = Long.parseLong(headers.getOrDefault(RedisRateLimiter.REMAINING_HEADER, "0"));
        long retryAfter = retryAfterSeconds(key.tenant().rateLimit(), tokensLeft);
        ErrorResponseException problem = Problems.exception(ProblemType.RATE_LIMIT_EXCEEDED, "Rate limit reached for API key "
                + key.id() + " of tenant '" + key.tenant().id() + "'. Retry after " + retryAfter + " s.");
        headers.forEach(problem.getHeaders()::set);
        openAiHeaders(key.tenant().rateLimit(), headers).forEach(problem.getHeaders()::set);
        problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        return problem;
    }

    /**
     * OpenAI's names for the same bucket, which OpenAI SDKs and client libraries read: limit = how many
     * requests a full bucket holds, remaining = how many it holds now, reset = until it is full again.
     */
    static Map<String, String> openAiHeaders(Tenant.RateLimit limit, Map<String, String> headers) {
        long remainingTokens = Math.max(0, Long.parseLong(headers.getOrDefault(RedisRateLimiter.REMAINING_HEADER, "0")));
        long secondsToFull = (limit.burstCapacity() - remainingTokens + limit.replenishRate() - 1) / limit.replenishRate();
        return Map.of(
                PlatformHttpHeaders.RATELIMIT_LIMIT_REQUESTS, Long.toString(limit.burstCapacity() / limit.requestedTokens()),
                PlatformHttpHeaders.RATELIMIT_REMAINING_REQUESTS, Long.toString(remainingTokens / limit.requestedTokens()),
                PlatformHttpHeaders.RATELIMIT_RESET_REQUESTS, Math.max(0, secondsToFull) + "s");
    }

    /** Seconds until the bucket holds enough tokens again; the script refills once per whole second. */
    static long retryAfterSeconds(Tenant.RateLimit limit, long tokensLeft) {
        long missing = Math.max(1, limit.requestedTokens() - Math.max(0, tokensLeft));
        return Math.max(1, (missing + limit.replenishRate() - 1) / limit.replenishRate());
    }
}
