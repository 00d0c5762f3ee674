package dev.genaiplatform.orchestrator.cache;

import dev.genaiplatform.orchestrator.citation.Citation;

import java.util.List;

/**
 * A finished answer as the caches and the idempotency store keep it: enough to give it again, whole or as a
 * stream, with the same citations and token counts, and to know which documents it came from.
 *
 * @param requestId        the chat completion id of the request that computed it
 * @param answer           the answer text ({@code ""} for a pure tool-call turn)
 * @param toolCalls        the model's tool calls, empty for a text answer
 * @param finishReason     OpenAI's finish reason
 * @param promptTokens     tokens the model read
 * @param completionTokens tokens it wrote
 * @param citations        the passages the answer cites
 * @param servedModel      the model that produced it
 * @param documents        the documents of the passages in the prompt ({@code fileId} or path, {@code @version}):
 *                         the entry is dropped when one of them changes
 * @param chunkIds         the chunks that were in the prompt
 */
public record StoredAnswer(String requestId, String answer, List<ToolCallText> toolCalls, String finishReason,
                           int promptTokens, int completionTokens, List<Citation> citations, String servedModel,
                           List<String> documents, List<String> chunkIds) {

    public StoredAnswer {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        citations = citations == null ? List.of() : List.copyOf(citations);
        documents = documents == null ? List.of() : List.copyOf(documents);
        chunkIds = chunkIds == null ? List.of() : List.copyOf(chunkIds);
    }

    /** One tool call: id, function name, arguments as JSON text. */
    public record ToolCallText(String id, String name, String arguments) {
    }
}
