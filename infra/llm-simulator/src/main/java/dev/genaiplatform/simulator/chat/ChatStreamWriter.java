package dev.genaiplatform.simulator.chat;

import dev.genaiplatform.simulator.model.ToolCall;
import dev.genaiplatform.simulator.serving.Generation;
import dev.genaiplatform.simulator.tokens.TokenPiece;
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
import java.util.function.Function;

/**
 * Writes a streamed completion the way OpenAI does: {@code data: <chunk>} events, the role first, then
 * one event per token piece, then an empty delta with the finish reason (per choice, when there are
 * several), then (if asked) a usage chunk with no choices, then {@code data: [DONE]}. Each event leaves as soon as
 * it exists; events that exist together leave in one flush.
 */
final class ChatStreamWriter {

    static final MediaType EVENT_STREAM = new MediaType("text", "event-stream", StandardCharsets.UTF_8);

    private static final byte[] DONE = event("[DONE]");

    private final JsonMapper json;
    private final boolean[] plainAscii;

    ChatStreamWriter(JsonMapper json) {
        this.json = json;
        this.plainAscii = ContentChunk.plainAscii(json);
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
        List<byte[]> roles = new ArrayList<>();
        List<Flux<byte[]>> perChoice = new ArrayList<>();
        for (int index = 0; index < choices.size(); index++) {
            byte[] role = event(roleChunk(id, created, model, index, choices.get(index).toolCall()));
            if (rolesFirst) {
                roles.add(role);
            }
            perChoice.add(events(id, created, model, index, choices.get(index), rolesFirst ? null : role));
        }
        Mono<byte[]> usage = includeUsage
                ? Mono.fromSupplier(() -> event(write(new OpenAiWire.Chunk(id, created, model, new OpenAiWire.Usage(
                        first.promptTokens(), choices.stream().mapToInt(c -> c.generation().completionTokens()).sum())))))
                : Mono.empty();
        Flux<byte[]> answers = perChoice.size() == 1 ? perChoice.getFirst() : Flux.merge(perChoice);
        Flux<byte[]> events = Flux.concat(Flux.fromIterable(roles), answers, usage, Mono.just(DONE));

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
    private Flux<byte[]> events(String id, long created, String model, int index, Served served, byte[] role) {
        ToolCall toolCall = served.toolCall();
        ContentChunk contentChunk = toolCall == null
                ? contentChunk(chunk(id, created, model, index, new OpenAiWire.Delta(null, ""), null)) : null;
        Function<String, byte[]> piece = contentChunk != null ? contentChunk::with
                : text -> event(chunk(id, created, model, index, toolCall == null ? new OpenAiWire.Delta(null, text)
                        : new OpenAiWire.Delta(null, null, List.of(new OpenAiWire.ToolCallDelta(0, null, null,
                                new OpenAiWire.Function(null, text)))), null));
        Flux<byte[]> content;
        if (served.generation().output().isEmpty()) {
            content = role == null ? Flux.empty() : Flux.just(role);
        } else if (role == null) {
            content = served.tokens().map(token -> piece.apply(token.text()));
        } else {
            // the role goes out the moment the first token does, right before it
            content = Flux.defer(() -> {
                boolean[] roleSent = {false};
                return served.tokens().concatMapIterable(token -> {
                    byte[] chunk = piece.apply(token.text());
                    if (roleSent[0]) {
                        return List.of(chunk);
                    }
                    roleSent[0] = true;
                    return List.of(role, chunk);
                });
            });
        }
        Mono<byte[]> finish = Mono.fromSupplier(() -> event(chunk(id, created, model, index,
                new OpenAiWire.Delta(null, null), finishReason(served.generation(), toolCall))));
        return Flux.concat(content, finish);
    }

    /**
     * One buffer per event, written without a flush of its own: Reactor Netty flushes when no further event is ready, so a
     * token that is alone (a paced model) still leaves at once, and the tokens an instant model has ready leave together
     * in one flush. Spring's SSE codec would write {@code data:} without OpenAI's space.
     */
    private static BodyInserter<Flux<byte[]>, ReactiveHttpOutputMessage> eventsOf(Flux<byte[]> events) {
        return (message, context) -> message.writeWith(events.map(message.bufferFactory()::wrap));
    }

    /** A call that was not cut short finishes with {@code tool_calls}, as OpenAI's does. */
    static String finishReason(Generation generation, ToolCall toolCall) {
        String reason = generation.finishReason().wireName();
        return toolCall != null && "stop".equals(reason) ? "tool_calls" : reason;
    }

    /** {@code data: <json>} and the blank line that ends the event, as UTF-8. */
    static byte[] event(String data) {
        return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** @return null if the mapper does not write {@code "content":""} as such (pretty printing): write whole */
    ContentChunk contentChunk(String emptyChunk) {
        return ContentChunk.around(emptyChunk, json, plainAscii);
    }

    /**
     * A content chunk's event with its text left out: every token's chunk of a choice is the same but for the text, so
     * the chunk is written once per choice, as bytes, and each token's text is escaped into it. Text of printable ASCII
     * characters that the mapper writes as themselves is copied as it is; any other text is written by the mapper itself
     * (the same escaping). Writing the whole chunk per token was about a tenth of an instant answer's CPU (README
     * "Wave 8"); building a string and encoding it per token, the next few per cent (README "Wave 10").
     */
    record ContentChunk(byte[] before, byte[] after, boolean[] plain, JsonMapper json) {

        private static final String EMPTY_CONTENT = "\"content\":\"\"";

        static ContentChunk around(String emptyChunk, JsonMapper json, boolean[] plain) {
            int at = emptyChunk.indexOf(EMPTY_CONTENT);
            if (at < 0 || emptyChunk.indexOf(EMPTY_CONTENT, at + 1) >= 0) {
                return null;
            }
            int text = at + EMPTY_CONTENT.length() - 2;
            return new ContentChunk(("data: " + emptyChunk.substring(0, text)).getBytes(StandardCharsets.UTF_8),
                    (emptyChunk.substring(text + 2) + "\n\n").getBytes(StandardCharsets.UTF_8), plain, json);
        }

        byte[] with(String text) {
            byte[] quoted = quotedAsIs(text) ? null : json.writeValueAsBytes(text);
            int textLength = quoted == null ? text.length() + 2 : quoted.length;
            byte[] event = new byte[before.length + textLength + after.length];
            System.arraycopy(before, 0, event, 0, before.length);
            int at = before.length;
            if (quoted == null) {
                event[at++] = '"';
                for (int i = 0; i < text.length(); i++) {
                    event[at++] = (byte) text.charAt(i);
                }
                event[at++] = '"';
            } else {
                System.arraycopy(quoted, 0, event, at, quoted.length);
                at += quoted.length;
            }
            System.arraycopy(after, 0, event, at, after.length);
            return event;
        }

        private boolean quotedAsIs(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c >= plain.length || !plain[c]) {
                    return false;
                }
            }
            return true;
        }

        /** Which ASCII characters this mapper writes inside a string as they are (asked of the mapper, char by char). */
        static boolean[] plainAscii(JsonMapper json) {
            boolean[] plain = new boolean[128];
            for (char c = ' '; c < 127; c++) {
                plain[c] = json.writeValueAsString(String.valueOf(c)).equals("\"" + c + "\"");
            }
            return plain;
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
