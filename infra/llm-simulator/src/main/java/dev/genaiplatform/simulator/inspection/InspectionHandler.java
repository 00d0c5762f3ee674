package dev.genaiplatform.simulator.inspection;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** {@code GET /sim/requests} lists what the simulator received; {@code DELETE /sim/requests} forgets it. */
public final class InspectionHandler {

    private final RequestLog log;

    public InspectionHandler(RequestLog log) {
        this.log = log;
    }

    public Mono<ServerResponse> list(ServerRequest request) {
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(log.asJsonArray());
    }

    public Mono<ServerResponse> clear(ServerRequest request) {
        log.clear();
        return ServerResponse.noContent().build();
    }
}
