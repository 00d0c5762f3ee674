package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.orchestrator.cache.StoredAnswer;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The answer to give: whole, or as a stream whose headers are already known.
 *
 * @param body    the whole answer (non-streamed requests)
 * @param stream  the events (streamed requests)
 * @param headers response headers: route, cache, server timing
 * @param stored  completes with the finished answer (for the idempotency store), empty when it failed
 */
record Answer(ChatCompletionResponse body, Flux<ServerSentEvent<String>> stream, Map<String, String> headers,
              CompletableFuture<Optional<StoredAnswer>> stored) {

    /** An answer given before (cache hit, idempotent repeat): whole, or replayed as a stream. */
    static Answer of(StoredAnswer answer, ChatCompletionRequest request, String id, long created,
                     PlatformMetadata metadata, Map<String, String> headers, JsonMapper json) {
        CompletableFuture<Optional<StoredAnswer>> stored = CompletableFuture.completedFuture(Optional.of(answer));
        if (request.streaming()) {
            AnswerEvents writer = new AnswerEvents(id, created, request.model(), json);
            return new Answer(null, Flux.fromIterable(writer.replay(answer, request.includeUsage(), metadata)), headers,
                    stored);
        }
        return new Answer(ChatCompletionResponse.of(id, created, request.model(), answer, metadata), null, headers,
                stored);
    }
}
