package dev.genaiplatform.simulator.faults;

import org.springframework.http.HttpMethod;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Reads the {@code x-sim-fault} header of a chat completion before anything else (an unknown fault is a
 * 400 listing the valid kinds) and puts a {@link FaultyResponse} in front of the real response, so the
 * faults that act on the wire can delay, cut or damage what the handler writes.
 */
public final class FaultInjectionFilter implements WebFilter {

    /** The header a request asks for a fault with: {@code x-sim-fault: <kind>} or {@code <kind>=<parameter>}. */
    public static final String HEADER = "x-sim-fault";
    static final String REQUESTED = FaultInjectionFilter.class.getName() + ".requested";
    static final String ACTIVE = FaultInjectionFilter.class.getName() + ".active";
    private static final String PATH = "/v1/chat/completions";

    private final ServerResponse.Context context;

    public FaultInjectionFilter(ServerCodecConfigurer codecs) {
        List<HttpMessageWriter<?>> writers = codecs.getWriters();
        this.context = new ServerResponse.Context() {
            @Override
            public List<HttpMessageWriter<?>> messageWriters() {
                return writers;
            }

            @Override
            public List<ViewResolver> viewResolvers() {
                return List.of();
            }
        };
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getMethod() != HttpMethod.POST
                || !PATH.equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
            return chain.filter(exchange);
        }
        String header = exchange.getRequest().getHeaders().getFirst(HEADER);
        if (header != null) {
            try {
                exchange.getAttributes().put(REQUESTED, Fault.parse(header));
            } catch (IllegalArgumentException e) {
                return FaultResponses.invalidFaultHeader(e.getMessage())
                        .flatMap(response -> response.writeTo(exchange, context));
            }
        }
        FaultyResponse response = new FaultyResponse(exchange.getResponse(),
                () -> exchange.getAttribute(ACTIVE));
        return chain.filter(exchange.mutate().response(response).build());
    }
}
