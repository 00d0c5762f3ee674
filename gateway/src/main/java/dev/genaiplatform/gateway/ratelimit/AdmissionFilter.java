package dev.genaiplatform.gateway.ratelimit;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.gateway.FilterOrder;
import dev.genaiplatform.gateway.PlatformGatewayProperties.AdmissionProperties;
import dev.genaiplatform.gateway.problem.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Sheds a burst at the door. Each gateway instance admits at most {@code max-waiting-chat} chat completions and
 * {@code max-waiting-other} other requests that are still waiting for their answer to begin; one more gets 503
 * {@code overloaded} with {@code Retry-After} at once, before anything else is spent on it (no key lookup, no
 * Redis, no body read). Without this bound a burst of hundreds is admitted whole, queues inside the pipeline
 * (guardrails over Kafka, retrieval, the model) and fails there by timeouts after seconds of work: a fast,
 * honest "not now" is cheaper for everyone, and an OpenAI SDK retries it by itself.
 *
 * <p>A request leaves the count when its answer begins (the response is committed) or when it ends, whichever
 * comes first. So the bound is on the pipeline's queue, not on open streams: a stream that is sending tokens
 * costs a connection, not pipeline work, and is bounded per key by {@link ConcurrentStreamLimitFilter}. 429
 * stays what it was: a key over its own rate limit or budget. Actuator (health probes) and the JWK set (every
 * service verifies tokens with it) are never shed.
 */
public final class AdmissionFilter implements WebFilter, Ordered {

    static final String CHAT_PATH = "/v1/chat/completions";

    private final Gate chat;

    private final Gate other;

    private final String retryAfterSeconds;

    public AdmissionFilter(AdmissionProperties admission, MeterRegistry meters) {
        this.chat = new Gate("chat", admission.maxWaitingChat(), meters);
        this.other = new Gate("other", admission.maxWaitingOther(), meters);
        this.retryAfterSeconds = Long.toString(Math.max(1, admission.retryAfter().toSeconds()));
    }

    @Override
    public int getOrder() {
        return FilterOrder.ADMISSION;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (path.equals(InternalToken.JWKS_PATH) || path.equals("/actuator") || path.startsWith("/actuator/")) {
            return chain.filter(exchange);
        }
        Gate gate = HttpMethod.POST.equals(exchange.getRequest().getMethod()) && path.equals(CHAT_PATH) ? chat : other;
        if (!gate.tryEnter()) {
            return Mono.error(overloaded(gate));
        }
        AtomicBoolean left = new AtomicBoolean();
        Runnable leave = () -> {
            if (left.compareAndSet(false, true)) {
                gate.leave();
            }
        };
        exchange.getResponse().beforeCommit(() -> {
            leave.run();
            return Mono.empty();
        });
        return chain.filter(exchange).doFinally(signal -> leave.run());
    }

    /** 503 {@code service_busy}, not 429: the platform is busy, not this caller over its limit; the same for every key. */
    private ErrorResponseException overloaded(Gate gate) {
        gate.rejected.increment();
        ErrorResponseException problem = Problems.exception(ProblemType.SERVICE_BUSY,
                "The gateway is at its limit of " + gate.limit + " " + gate.name + " requests waiting for an answer. "
                        + "Retry after " + retryAfterSeconds + " s.");
        problem.getHeaders().set(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
        return problem;
    }

    /** A counter of requests waiting in one class, and its bound. */
    private static final class Gate {

        private final String name;

        private final int limit;

        private final AtomicInteger waiting = new AtomicInteger();

        private final Counter rejected;

        Gate(String name, int limit, MeterRegistry meters) {
            this.name = name;
            this.limit = limit;
            this.rejected = meters.counter("gateway.admission.rejected", "class", name);
            Gauge.builder("gateway.admission.waiting", waiting, AtomicInteger::get).tag("class", name).register(meters);
        }

        boolean tryEnter() {
            while (true) {
                int now = waiting.get();
                if (now >= limit) {
                    return false;
                }
                if (waiting.compareAndSet(now, now + 1)) {
                    return true;
                }
            }
        }

        void leave() {
            waiting.decrementAndGet();
        }
    }
}
