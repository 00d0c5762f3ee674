package dev.genaiplatform.simulator.chat;

import dev.genaiplatform.simulator.model.ToolCall;
import dev.genaiplatform.simulator.serving.Generation;
import dev.genaiplatform.simulator.tokens.TokenPiece;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a streamed completion the way OpenAI does: {@code data: <chunk>} events, the role first, then
 * one event per token piece, then an empty delta with the finish reason, then (if asked) a usage chunk
 * with no choices, then {@code data: [DONE]}. Each event is flushed as soon as it exists.
 */
final class ChatStreamWriter {

    static final MediaType EVENT_STREAM = new MediaType("text", "event-stream", StandardCharsets.UTF_8);

    private final JsonMapper json;

    ChatStreamWriter(JsonMapper json) {
        this.json = json;
    }

    Mono<ServerResponse> respond(String id, long created, Generation generation, Flux<TokenPiece> tokens,
                                 boolean includeUsage) {
        return respond(id, created, generation, tokens, includeUsage, null);
    }

    /**
     * As above; with a {@code toolCall} the pieces are its JSON arguments, sent as OpenAI streams a call:
     * the first chunk carries the role, the call's index, id, type and name with empty arguments, each further
     * chunk one piece of the arguments, and the finish reason is {@code tool_calls}.
     */
    Mono<ServerResponse> respond(String id, long created, Generation generation, Flux<TokenPiece> tokens,
                                 boolean includeUsage, ToolCall toolCall) {
        String model = generation.model().id();
        // like vLLM, the role goes out with the first token, so "first event" and "first token" agree
        String role = chunk(id, created, model, toolCall == null ? new OpenAiWire.Delta("assistant", "")
                : new OpenAiWire.Delta("assistant", null, List.of(new OpenAiWire.ToolCallDelta(0, toolCall.id(),
                        "function", new OpenAiWire.Function(toolCall.name(), "")))), null);
        Flux<String> content = generation.output().isEmpty()
                ? Flux.just(role)
                : tokens.index().concatMapIterable(indexed -> {
                    String text = indexed.getT2().text();
                    String piece = chunk(id, created, model, toolCall == null ? new OpenAiWire.Delta(null, text)
                            : new OpenAiWire.Delta(null, null, List.of(new OpenAiWire.ToolCallDelta(0, null, null,
                                    new OpenAiWire.Function(null, text)))), null);
                    return indexed.getT1() == 0 ? List.of(role, piece) : List.of(piece);
                });
        Mono<String> finish = Mono.fromSupplier(() -> chunk(id, created, model, new OpenAiWire.Delta(null, null),
                finishReason(generation, toolCall)));
        Mono<String> usage = includeUsage
                ? Mono.fromSupplier(() -> write(new OpenAiWire.Chunk(id, created, model,
                        new OpenAiWire.Usage(generation.promptTokens(), generation.completionTokens()))))
                : Mono.empty();
        Flux<String> events = Flux.concat(content, finish, usage, Mono.just("[DONE]"));

        return ServerResponse.ok()
                .contentType(EVENT_STREAM)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no") // tells a reverse proxy not to buffer the stream
                .body(eventsOf(events));
    }

    /** Flushes every event on its own; Spring's SSE codec would write {@code data:} without OpenAI's space. */
    private static BodyInserter<Flux<String>, ReactiveHttpOutputMessage> eventsOf(Flux<String> events) {
        return (message, context) -> message.writeAndFlushWith(events.map(data -> {
            DataBuffer buffer = message.bufferFactory()
                    .wrap(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
            return Mono.just(buffer);
        }));
    }

    /** A call that was not cut short finishes with {@code tool_calls}, as OpenAI's does. */
    static String finishReason(Generation generation, ToolCall toolCall) {
        String reason = generation.finishReason().wireName();
        return toolCall != null && "stop".equals(reason) ? "tool_calls" : reason;
    }

    private String chunk(String id, long created, String model, OpenAiWire.Delta delta, String finishReason) {
        return write(new OpenAiWire.Chunk(id, created, model, new OpenAiWire.ChunkChoice(0, delta, null, finishReason)));
    }

    private String write(OpenAiWire.Chunk chunk) {
        return json.writeValueAsString(chunk);
    }
}
