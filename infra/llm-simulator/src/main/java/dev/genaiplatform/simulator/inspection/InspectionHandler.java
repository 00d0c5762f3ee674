package dev.genaiplatform.simulator.inspection;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * {@code GET /sim/requests} lists what the simulator received; {@code DELETE /sim/requests} forgets it.
 * Registered only when inspection is enabled, and even then it answers only callers on the loopback
 * interface: the bodies hold every tenant's prompts, system prompts and retrieved passages.
 */
public final class InspectionHandler {

    private final RequestLog log;

    public InspectionHandler(RequestLog log) {
        this.log = log;
    }

    public Mono<ServerResponse> list(ServerRequest request) {
        if (!fromLoopback(request)) {
            return forbidden();
        }
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(log.asJsonArray());
    }

    public Mono<ServerResponse> clear(ServerRequest request) {
        if (!fromLoopback(request)) {
            return forbidden();
        }
        log.clear();
        return ServerResponse.noContent().build();
    }

    /** The TCP peer, not a header: a forwarded-for header is the caller's own claim. */
    static boolean fromLoopback(ServerRequest request) {
        return request.remoteAddress()
                .map(InetSocketAddress::getAddress)
                .map(address -> address != null && address.isLoopbackAddress())
                .orElse(false);
    }

    private static Mono<ServerResponse> forbidden() {
        return ServerResponse.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("error", Map.of(
                        "message", "The inspection endpoint answers only on the loopback interface.",
                        "type", "invalid_request_error", "code", "inspection_loopback_only")));
    }
}
