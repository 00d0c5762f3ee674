package dev.genaiplatform.simulator.chat;

import dev.genaiplatform.simulator.model.ModelCatalog;
import dev.genaiplatform.simulator.model.ModelProfile;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.time.Clock;

/** {@code GET /v1/models} and {@code GET /v1/models/{model}}: the configured profiles, OpenAI-shaped. */
public final class ModelsHandler {

    private final ModelCatalog catalog;
    /** Profiles come into being when the simulator starts. */
    private final long created;

    public ModelsHandler(ModelCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.created = clock.instant().getEpochSecond();
    }

    public Mono<ServerResponse> list(ServerRequest request) {
        return ServerResponse.ok().bodyValue(new OpenAiWire.ModelList("list",
                catalog.all().stream().map(this::card).toList()));
    }

    public Mono<ServerResponse> get(ServerRequest request) {
        String id = request.pathVariable("model");
        return catalog.find(id)
                .map(profile -> ServerResponse.ok().bodyValue(card(profile)))
                .orElseGet(() -> OpenAiError.modelNotFound(id).toResponse());
    }

    private OpenAiWire.ModelCard card(ModelProfile profile) {
        return new OpenAiWire.ModelCard(profile.id(), "model", created, profile.ownedBy(), new OpenAiWire.Pricing("USD",
                profile.pricing().input(), profile.pricing().output()));
    }
}
