package dev.genaiplatform.gateway.observability;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;

/**
 * Every trace starts at the gateway: the trace-context headers a client sends ({@code traceparent},
 * {@code tracestate}, {@code baggage}, B3) are removed before the server observation reads them, so they are
 * neither continued here nor forwarded to a backend.
 *
 * <p>Why replace rather than continue: the gateway is a trust boundary, and a client's trace context is input it
 * controls. Continued, its sampled flag would make the gateway and every service behind it record and export the
 * request (a client could switch on 100 % sampling for its own traffic and multiply the platform's tracing cost);
 * its trace id would put the request into a trace of the client's choosing, next to another tenant's spans if the
 * id were guessed or leaked; and its baggage would travel into every service as trusted-looking context. The
 * sampling decision and the trace id are therefore the gateway's, and the client learns the id from the
 * {@code X-Trace-Id} response header ({@link TraceIdFilter}) to quote it.
 *
 * <p>A decorator of the whole HTTP handler, not a WebFilter: the server observation (and with it the propagator's
 * extraction) starts before any WebFilter runs.
 */
public final class UntrustedTraceContext implements HttpHandlerDecoratorFactory {

    /** W3C trace context and baggage, and B3 (single and multi-header), the formats the tracer would read. */
    static final List<String> HEADERS = List.of("traceparent", "tracestate", "baggage", "b3", "X-B3-TraceId",
            "X-B3-SpanId", "X-B3-ParentSpanId", "X-B3-Sampled", "X-B3-Flags");

    @Override
    public HttpHandler apply(HttpHandler handler) {
        return (request, response) -> {
            HttpHeaders headers = request.getHeaders();
            for (String name : HEADERS) {
                if (headers.containsHeader(name)) {
                    return handler.handle(request.mutate().headers(h -> HEADERS.forEach(h::remove)).build(), response);
                }
            }
            return handler.handle(request, response);
        };
    }
}
