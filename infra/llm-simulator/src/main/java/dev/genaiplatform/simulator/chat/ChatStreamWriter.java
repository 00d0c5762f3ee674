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
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a streamed completion the way OpenAI does: {@code data: <chunk>} events, the role first, then
 * one event per token piece, then an empty delta with the finish reason (per choice, when there are
 * several), then (if asked) a usage chunk with no choices, then {@code data: [DONE]}. Each event is
 * flushed as soon as it exists.
 */
final class ChatStreamWriter {

    static final MediaType EVENT_STREAM = new MediaType("text", "event-stream", StandardCharsets.UTF_8);

    private final JsonMapper json;

    ChatStreamWriter(JsonMapper json) {
        this.json = json;
    }

    /** One choice as it is served: its generation, the engine's pacing of it, and the call it makes, if any. */
    record Served(Generation generation, Flux<TokenPiece> tokens, ToolCall toolCall) {
    }

    Mono<ServerResponse> respond(String id, long created, Generation generation, Flux<TokenPiece> tokens,
                                 boolean includeUsage) {
        return respond(id, created, List.of(new Served(generation, tokens, null)), includeUsage);
    }

    /**
     * Streams every choice at once, each chunk naming its choice's {@code index}, each choice with its own
     * role chunk and finish chunk, then one usage chunk for all of them. A choice with a tool call streams
     * it as OpenAI does: the first chunk carries the role and the call's index, id, type and name with
     * empty arguments, each further chunk one piece of the arguments, and it finishes with
     * {@code tool_calls}.
     */
    Mono<ServerResponse> respond(String id, long created, List<Served> choices, boolean includeUsage) {
        Generation first = choices.getFirst().generation();
        String model = first.model().id();
        // one choice: its role travels with its first token (vLLM's way, so "first event" means "first token");
        // several: every role goes first, so a client knows all choices before any of them finishes (the
        // SDK's stream accumulator completes as soon as every choice it has seen has finished)
        boolean rolesFirst = choices.size() > 1;
        List<String> roles = new ArrayList<>();
        List<Flux<String>> perChoice = new ArrayList<>();
        for (int index = 0; index < choices.size(); index++) {
            String role = roleChunk(id, created, model, index, choices.get(index).toolCall());
            if (rolesFirst) {
                roles.add(role);
            }
            perChoice.add(events(id, created, model, index, choices.get(index), rolesFirst ? null : role));
        }
        Mono<String> usage = includeUsage
                ? Mono.fromSupplier(() -> write(new OpenAiWire.Chunk(id, created, model, new OpenAiWire.Usage(
                        first.promptTokens(), choices.stream().mapToInt(c -> c.generation().completionTokens()).sum()))))
                : Mono.empty();
        Flux<String> events = Flux.concat(Flux.fromIterable(roles), Flux.merge(perChoice), usage, Mono.just("[DONE]"));

        return ServerResponse.ok()
                .contentType(EVENT_STREAM)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("X-Accel-Buffering", "no") // tells a reverse proxy not to buffer the stream
                .body(eventsOf(events));
    }

    private String roleChunk(String id, long created, String model, int index, ToolCall toolCall) {
        return chunk(id, created, model, index, toolCall == null ? new OpenAiWire.Delta("assistant", "")
                : new OpenAiWire.Delta("assistant", null, List.of(new OpenAiWire.ToolCallDelta(0, toolCall.id(),
                        "function", new OpenAiWire.Function(toolCall.name(), "")))), null);
    }

    /** One choice's events; {@code role}, when given, goes out together with the first token. */
    private Flux<String> events(String id, long created, String model, int index, Served served, String role) {
        ToolCall toolCall = served.toolCall();
        ContentChunk contentChunk = toolCall == null
                ? ContentChunk.around(chunk(id, created, model, index, new OpenAiWire.Delta(null, ""), null), json) : null;
        Flux<String> content = served.generation().output().isEmpty()
                ? (role == null ? Flux.empty() : Flux.just(role))
                : served.tokens().index().concatMapIterable(indexed -> {
                    String text = indexed.getT2().text();
                    String piece = contentChunk != null ? contentChunk.with(text)
                            : chunk(id, created, model, index, toolCall == null ? new OpenAiWire.Delta(null, text)
                            : new OpenAiWire.Delta(null, null, List.of(new OpenAiWire.ToolCallDelta(0, null, null,
                                    new OpenAiWire.Function(null, text)))), null);
                    return indexed.getT1() == 0 && role != null ? List.of(role, piece) : List.of(piece);
                });
        Mono<String> finish = Mono.fromSupplier(() -> chunk(id, created, model, index,
                new OpenAiWire.Delta(null, null), finishReason(served.generation(), toolCall)));
        return Flux.concat(content, finish);
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

    /**
     * A content chunk's JSON with its text left out: every token's chunk of a choice is the same but for the text, so
     * the chunk is written once per choice and each token's text is written into it with the same mapper (the same
     * escaping). Writing the whole chunk per token was about a tenth of an instant answer's CPU (README "Wave 8").
     */
    record ContentChunk(String before, String after, JsonMapper json) {

        private static final String EMPTY_CONTENT = "\"content\":\"\"";

        /** @return null if the mapper does not write {@code "content":""} as such (pretty printing): write whole */
        static ContentChunk around(String emptyChunk, JsonMapper json) {
            int at = emptyChunk.indexOf(EMPTY_CONTENT);
            if (at < 0 || emptyChunk.indexOf(EMPTY_CONTENT, at + 1) >= 0) {
                return null;
            }
            int text = at + EMPTY_CONTENT.length() - 2;
            return new ContentChunk(emptyChunk.substring(0, text), emptyChunk.substring(text + 2), json);
        }

        String with(String text) {
            return before + json.writeValueAsString(text) + after;
        }
    }

    String chunk(String id, long created, String model, int index, OpenAiWire.Delta delta,
                         String finishReason) {
        return write(new OpenAiWire.Chunk(id, created, model,
                new OpenAiWire.ChunkChoice(index, delta, null, finishReason)));
    }

    private String write(OpenAiWire.Chunk chunk) {
        return json.writeValueAsString(chunk);
    }
}
