package dev.genaiplatform.gateway.ratelimit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.gateway.FilterOrder;
import dev.genaiplatform.gateway.problem.Problems;
import dev.genaiplatform.gateway.tenant.ApiKey;
import dev.genaiplatform.gateway.validation.ValidatedChatRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * Caps the streamed completions one API key holds open at once. A stream ties up a connection and a model
 * slot for as long as the answer runs, so a rate limit on request starts does not bound them: a client
 * opening a stream per second that each run a minute holds sixty. Past the cap: 429
 * {@code too_many_concurrent_streams}. The slot is released when the stream ends, fails, or the client goes.
 *
 * <p>Counted per gateway instance, in memory (a count in Redis would have to survive crashed instances that
 * never release): with N instances behind a balancer a key can hold up to N times the cap.
 */
public final class ConcurrentStreamLimitFilter implements GlobalFilter, Ordered {

    private final int maxStreams;

    /** One counter per key that ever streamed, never removed: removing one at zero races with a new stream. */
    private final ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();

    private final Counter rejected;

    public ConcurrentStreamLimitFilter(int maxStreams, MeterRegistry meters) {
        this.maxStreams = maxStreams;
        this.rejected = meters.counter("gateway.streams.rejected");
    }

    @Override
    public int getOrder() {
        return FilterOrder.CONCURRENT_STREAMS;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!ValidatedChatRequest.find(exchange).map(ValidatedChatRequest::stream).orElse(false)) {
            return chain.filter(exchange);
        }
        String keyId = ApiKey.of(exchange).id();
        AtomicInteger count = open.computeIfAbsent(keyId, id -> new AtomicInteger());
        if (count.incrementAndGet() > maxStreams) {
            count.decrementAndGet();
            rejected.increment();
            return Mono.error(Problems.exception(ProblemType.TOO_MANY_STREAMS, "This API key already has "
                    + maxStreams + " streams open; wait for one to finish."));
        }
        return chain.filter(exchange).doFinally(signal -> count.decrementAndGet());
    }
}
