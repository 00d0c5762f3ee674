package dev.genaiplatform.gateway.observability;

import dev.genaiplatform.contracts.http.PlatformHttpHeaders;
import dev.genaiplatform.gateway.FilterOrder;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Returns the request's trace id in {@value PlatformHttpHeaders#TRACE_ID} on every answer the application writes:
 * success, problem, stream. It is the id of the trace the gateway started for the request (a client's own trace
 * context is never continued, see {@link UntrustedTraceContext}), so a client can quote it and an operator can
 * open that trace, if it was sampled, or find the request's log lines, which carry the id either way.
 */
public final class TraceIdFilter implements WebFilter, Ordered {

    @Override
    public int getOrder() {
        return FilterOrder.TRACE_ID;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String traceId = traceId(exchange);
        if (traceId != null) {
            // set at commit time, so a backend's header of the same name cannot add a second one
            exchange.getResponse().beforeCommit(() -> {
                exchange.getResponse().getHeaders().set(PlatformHttpHeaders.TRACE_ID, traceId);
                return Mono.empty();
            });
        }
        return chain.filter(exchange);
    }

    /** The trace id of the server observation of this request, sampled or not; null without tracing. */
    static String traceId(ServerWebExchange exchange) {
        ServerRequestObservationContext observation = ServerRequestObservationContext.findCurrent(exchange.getAttributes())
            .orElse(null);
        if (observation == null) {
            return null;
        }
        TracingObservationHandler.TracingContext tracing = observation.get(TracingObservationHandler.TracingContext.class);
        Span span = tracing == null ? null : tracing.getSpan();
        String id = span == null ? null : span.context().traceId();
        return id == null || id.isEmpty() ? null : id;
    }
}
