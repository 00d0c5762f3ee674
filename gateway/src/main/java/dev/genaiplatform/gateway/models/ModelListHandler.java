package dev.genaiplatform.gateway.models;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.genaiplatform.gateway.tenant.ApiKey;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /v1/models}, answered by the gateway itself: the models the caller's key may use, in
 * OpenAI's list shape. The gateway owns this answer because it owns the key-to-model mapping. Any scope
 * may ask.
 */
public final class ModelListHandler {

    static final String OWNER = "genai-platform";

    /** OpenAI reports when a model was created; the platform reports when this catalog was loaded. */
    private final long created = Instant.now().getEpochSecond();

    public Mono<ServerResponse> list(ServerRequest request) {
        ApiKey key = ApiKey.of(request.exchange());
        List<ModelEntry> data = key.models().stream().map(id -> new ModelEntry(id, "model", created, OWNER)).toList();
        return ServerResponse.ok().bodyValue(new ModelList("list", data));
    }

    record ModelList(String object, List<ModelEntry> data) {
    }

    record ModelEntry(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {
    }
}
