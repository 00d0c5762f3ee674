package dev.genaiplatform.gateway.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes the request's trace context ({@code traceparent}, in the configured propagation format) onto the request a
 * backend receives, so the backend continues the trace the gateway started, with the gateway's sampling decision.
 *
 * <p>Why not Spring Cloud Gateway's own observation of the proxy call
 * ({@code spring.cloud.gateway.server.webflux.observability}, off): it starts a second observation per request (a
 * client span and a timer, plus a copy of the header map) only to inject these same headers; measured at about 7 %
 * of the gateway's CPU per request (README, Benchmark, "Wave 7"). The backend's spans now hang under the gateway's
 * server span, which covers the proxy call's time anyway.
 */
public final class ForwardedTraceContext {

    private final Propagator propagator;

    /** @param propagator the tracer's propagator; null (no tracing on the classpath): nothing is written */
    public ForwardedTraceContext(Propagator propagator) {
        this.propagator = propagator;
    }

    /** Sets the trace context of {@code exchange}'s server observation on {@code forwarded}; nothing without one. */
    public void writeTo(ServerWebExchange exchange, HttpHeaders forwarded) {
        if (propagator == null) {
            return;
        }
        ServerRequestObservationContext observation = ServerRequestObservationContext.findCurrent(exchange.getAttributes())
            .orElse(null);
        TracingObservationHandler.TracingContext tracing = observation == null ? null
                : observation.get(TracingObservationHandler.TracingContext.class);
        Span span = tracing == null ? null : tracing.getSpan();
        if (span != null) {
            propagator.inject(span.context(), forwarded, HttpHeaders::set);
        }
    }
}
