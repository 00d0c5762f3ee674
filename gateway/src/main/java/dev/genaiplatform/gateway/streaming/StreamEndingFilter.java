package dev.genaiplatform.gateway.streaming;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.gateway.FilterOrder;
import dev.genaiplatform.gateway.observability.SampledLog;
import dev.genaiplatform.gateway.validation.ValidatedChatRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * Never a silent truncation at the door: every streamed chat completion ends with the backend's finish or with an
 * explicit error event ({@link StreamEndingResponse}). Before the stream has begun nothing changes: a backend that
 * cannot be reached or hangs up before its headers is a 503/502 problem as for any request.
 *
 * <p>The stream's deadline is the request's (the internal token's {@code deadline}, now + the response timeout)
 * plus a grace period, so that a backend which honours the deadline itself can still send its own error event,
 * with its partial answer's trace, before the gateway ends the stream. Counted in
 * {@code gateway.streams.ended.with.error{code}}; logged at most every ten seconds.
 */
public final class StreamEndingFilter implements GlobalFilter, Ordered {

    private final Duration deadline;

    private final Duration idleTimeout;

    private final Map<ProblemType, Counter> ended = new EnumMap<>(ProblemType.class);

    private final SampledLog log = new SampledLog(LoggerFactory.getLogger(StreamEndingFilter.class), Duration.ofSeconds(10));

    /**
     * @param requestDeadline how long a request may take (the gateway's response timeout, the token's deadline)
     * @param grace how long past that deadline a stream may still run before the gateway ends it
     * @param idleTimeout how long a backend may stay silent between two events of a stream
     */
    public StreamEndingFilter(Duration requestDeadline, Duration grace, Duration idleTimeout, MeterRegistry meters) {
        this.deadline = requestDeadline.plus(grace);
        this.idleTimeout = idleTimeout;
        for (ProblemType type : new ProblemType[] { ProblemType.UPSTREAM_FAILED, ProblemType.UPSTREAM_TIMEOUT }) {
            ended.put(type, Counter.builder("gateway.streams.ended.with.error").tag("code", type.code())
                .description("Streamed answers the gateway ended with an error event").register(meters));
        }
    }

    @Override
    public int getOrder() {
        return FilterOrder.STREAM_ENDING;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!ValidatedChatRequest.find(exchange).map(ValidatedChatRequest::stream).orElse(false)) {
            return chain.filter(exchange);
        }
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        StreamEndingResponse response = new StreamEndingResponse(exchange.getResponse(), deadlineNanos, idleTimeout,
                (type, failure) -> {
            ended.get(type).increment();
            log.warn("A stream was ended with an error event ({}: {}); {} similar lines suppressed", type.code(),
                    failure == null ? "deadline, silence or no finish" : failure.toString());
        });
        return chain.filter(exchange.mutate().response(response).build());
    }
}
