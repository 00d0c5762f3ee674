package dev.genaiplatform.gateway.tenant;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.gateway.FilterOrder;
import dev.genaiplatform.gateway.PlatformGatewayProperties.ClientProperties;
import dev.genaiplatform.gateway.observability.SampledLog;
import dev.genaiplatform.gateway.problem.Problems;
import dev.genaiplatform.gateway.ui.WebUi;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Maps {@code Authorization: Bearer <key>} to an {@link ApiKey}. Every path needs a key except the few
 * public ones ({@link #PUBLIC_PATHS} and the web UI's files, {@link WebUi#isPublic}), compared with the canonical
 * path, which is the only spelling that gets this far. No service behind the gateway sees the key: the internal-token
 * filter replaces it with the signed token on every forwarded request.
 *
 * <p>Failures are throttled per client address ({@link FailedAuthenticationThrottle}): past the limit every
 * request from the address gets 429 {@code too_many_failed_authentications} with {@code Retry-After}, and the
 * key is not even looked at. They are logged at most once per 10 s with a count, and counted in
 * {@code gateway.authentication.failures} (no tenant, key or address in the tags).
 */
public final class ApiKeyAuthenticationFilter implements WebFilter, Ordered {

    /** Answered without a key: the public half of the token-signing keys. */
    public static final Set<String> PUBLIC_PATHS = Set.of(InternalToken.JWKS_PATH);

    private static final String BEARER = "Bearer ";

    private static final String REALM = "Bearer realm=\"genai-platform\"";

    private final ApiKeyCache keys;

    private final FailedAuthenticationThrottle throttle;

    private final SampledLog failureLog = new SampledLog(LoggerFactory.getLogger(ApiKeyAuthenticationFilter.class),
            Duration.ofSeconds(10));

    private final Counter missing;

    private final Counter unknown;

    private final Counter throttled;

    public ApiKeyAuthenticationFilter(ApiKeyCache keys, ClientProperties client, MeterRegistry meters) {
        this.keys = keys;
        this.throttle = new FailedAuthenticationThrottle(client.maxFailedAuthentications(),
                client.failedAuthenticationWindow(), Clock.systemUTC());
        this.missing = meters.counter("gateway.authentication.failures", "reason", "missing");
        this.unknown = meters.counter("gateway.authentication.failures", "reason", "unknown");
        this.throttled = meters.counter("gateway.authentication.failures", "reason", "throttled");
    }

    @Override
    public int getOrder() {
        return FilterOrder.AUTHENTICATION;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (PUBLIC_PATHS.contains(path) || isActuator(path) || WebUi.isPublic(exchange.getRequest().getMethod(), path)) {
            return chain.filter(exchange);
        }
        String address = clientAddress(exchange);
        long blocked = throttle.secondsBlocked(address);
        if (blocked > 0) {
            throttled.increment();
            failureLog.info("Client {} throttled after too many failed authentications ({} similar lines suppressed)",
                    address);
            ErrorResponseException problem = Problems.exception(ProblemType.TOO_MANY_FAILED_AUTHENTICATIONS,
                    "Too many failed authentications from this address. Retry after " + blocked + " s.");
            problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(blocked));
            return Mono.error(problem);
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.substring(BEARER.length()).isBlank()) {
            missing.increment();
            throttle.recordFailure(address);
            return Mono.error(unauthorized(REALM, "Missing API key. Send it as 'Authorization: Bearer <key>'."));
        }
        return keys.find(authorization.substring(BEARER.length()).trim()).flatMap(key -> {
            if (key.isEmpty()) {
                unknown.increment();
                throttle.recordFailure(address);
                failureLog.info("Unknown or revoked API key from {} ({} similar lines suppressed)", address);
                return Mono.error(unauthorized(REALM + ", error=\"invalid_token\"", "Incorrect API key provided."));
            }
            key.get().attachTo(exchange);
            // The key never reaches a backend: the internal-token filter, the last before forwarding, replaces
            // Authorization with the signed token (one header rewrite per request instead of two).
            return chain.filter(exchange);
        });
    }

    /**
     * Actuator is served only on the management port (loopback), whose requests pass through these same
     * filters; on the public port the path has no handler and ends as a 404.
     */
    private static boolean isActuator(String path) {
        return path.equals("/actuator") || path.startsWith("/actuator/");
    }

    /** The peer's address. Behind a load balancer that is the balancer; see the README's Limits. */
    private static String clientAddress(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }

    private static ErrorResponseException unauthorized(String challenge, String detail) {
        ErrorResponseException problem = Problems.exception(ProblemType.INVALID_API_KEY, detail);
        problem.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return problem;
    }
}
