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

    /**
     * The same answer as served to another request: a cache hit is a new completion with its own id, and an
     * idempotent replay of that request must give that id back, not the id of the request that computed it.
     */
    public StoredAnswer servedAs(String servingRequestId) {
        return servingRequestId.equals(this.requestId) ? this : new StoredAnswer(servingRequestId, this.answer,
                this.toolCalls, this.finishReason, this.promptTokens, this.completionTokens, this.citations,
                this.servedModel, this.documents, this.chunkIds);
    }

    /** One tool call: id, function name, arguments as JSON text. */
    public record ToolCallText(String id, String name, String arguments) {
    }
}
