package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.orchestrator.cache.StoredAnswer;
import org.springframework.http.codec.ServerSentEvent;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes an answer as OpenAI {@code chat.completion.chunk} server-sent events: content or tool-call deltas as
 * they arrive, then the finish chunk (with the citations and the platform metadata), the usage chunk if asked
 * for, then {@code [DONE]}. Also replays a stored answer (cache hit, idempotent repeat) in the same shape.
 */
final class AnswerEvents {

    private static final String DONE = "[DONE]";

    private final String id;
    private final long created;
    private final String model;
    private final JsonMapper json;
    private boolean roleSent;
    private int toolCallsSent;

    AnswerEvents(String id, long created, String model, JsonMapper json) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.json = json;
    }

    List<ServerSentEvent<String>> piece(AnswerAccumulator.Piece piece) {
        List<ServerSentEvent<String>> events = new ArrayList<>(1);
        if (piece.text() != null && !piece.text().isEmpty()) {
            events.add(event(ChatCompletionChunk.content(this.id, this.created, this.model, nextRole(), piece.text())));
        }
        for (ChatCompletionResponse.ToolCall call : piece.toolCalls()) {
            events.add(event(ChatCompletionChunk.toolCall(this.id, this.created, this.model, nextRole(),
                    this.toolCallsSent++, call)));
        }
        return events;
    }

    List<ServerSentEvent<String>> closing(StoredAnswer answer, boolean includeUsage, PlatformMetadata metadata) {
        List<ServerSentEvent<String>> closing = new ArrayList<>(3);
        closing.add(event(ChatCompletionChunk.finish(this.id, this.created, this.model, answer.finishReason(),
                answer.citations(), metadata)));
        if (includeUsage) {
            closing.add(event(ChatCompletionChunk.usage(this.id, this.created, this.model,
                    ChatCompletionResponse.Usage.of(answer.promptTokens(), answer.completionTokens()))));
        }
        closing.add(data(DONE));
        return closing;
    }

    /** A stored answer as a whole stream: its text in word-sized pieces, its tool calls, then the closing events. */
    List<ServerSentEvent<String>> replay(StoredAnswer answer, boolean includeUsage, PlatformMetadata metadata) {
        List<ServerSentEvent<String>> events = new ArrayList<>();
        for (String word : words(answer.answer())) {
            events.addAll(piece(new AnswerAccumulator.Piece(word, List.of())));
        }
        events.addAll(piece(new AnswerAccumulator.Piece(null, ChatCompletionResponse.ToolCall.fromStored(answer.toolCalls()))));
        events.addAll(closing(answer, includeUsage, metadata));
        return events;
    }

    /**
     * The error event after text went out, carrying what the client needs to show the text so far as a partial
     * answer: the citations in it and the {@code platform} trace ({@code answerKind: partial}).
     */
    ServerSentEvent<String> error(ChatCompletionException problem, List<dev.genaiplatform.orchestrator.citation.Citation> citations,
                                  PlatformMetadata metadata) {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("error", Map.of(
                "message", problem.getMessage(),
                "type", problem.type().kind().wireName(),
                "code", problem.type().code()));
        event.put("citations", citations);
        event.put("platform", metadata);
        return event(event);
    }

    /** The error event OpenAI sends when a stream fails midway: a stream never just stops. */
    ServerSentEvent<String> error(ChatCompletionException problem) {
        return event(Map.of("error", Map.of(
                "message", problem.getMessage(),
                "type", problem.type().kind().wireName(),
                "code", problem.type().code())));
    }

    private String nextRole() {
        String role = this.roleSent ? null : "assistant";
        this.roleSent = true;
        return role;
    }

    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                words.add(text.substring(start, i));
                start = i;
            }
        }
        return words;
    }

    private ServerSentEvent<String> event(Object payload) {
        return data(this.json.writeValueAsString(payload));
    }

    /** OpenAI writes {@code data: } with a space; the leading space makes the bytes match, SSE parsers drop it. */
    private static ServerSentEvent<String> data(String text) {
        return ServerSentEvent.builder(" " + text).build();
    }
}
