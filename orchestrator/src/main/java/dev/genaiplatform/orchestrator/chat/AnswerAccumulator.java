package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.orchestrator.cache.StoredAnswer;
import dev.genaiplatform.orchestrator.citation.Citation;
import dev.genaiplatform.orchestrator.citation.CitationExtractor;
import dev.genaiplatform.orchestrator.prompt.GroundedPrompt;
import dev.genaiplatform.orchestrator.prompt.TokenCounter;
import dev.genaiplatform.orchestrator.provider.FinishReasons;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place an answer is assembled from the model's pieces, for streamed and non-streamed requests alike
 * (a whole answer arrives as one piece when its provider answers those non-streamed): text, tool calls, finish reason and the provider's token counts as
 * they arrive, then citations and usage once the answer is whole.
 */
final class AnswerAccumulator {

    /** What one model chunk added: text and/or whole tool calls (Spring AI hands a tool call over once complete). */
    record Piece(String text, List<ChatCompletionResponse.ToolCall> toolCalls) {

        boolean isEmpty() {
            return (this.text == null || this.text.isEmpty()) && this.toolCalls.isEmpty();
        }
    }

    private final GroundedPrompt prompt;
    private final TokenCounter tokens;
    private final StringBuilder answer = new StringBuilder();
    private final List<ChatCompletionResponse.ToolCall> toolCalls = new ArrayList<>();
    private String finishReason;
    private Integer reportedPromptTokens;
    private Integer reportedCompletionTokens;

    AnswerAccumulator(GroundedPrompt prompt, TokenCounter tokens) {
        this.prompt = prompt;
        this.tokens = tokens;
    }

    Piece accept(ChatResponse response) {
        Usage usage = response.getMetadata().getUsage();
        if (usage != null && positive(usage.getPromptTokens())) {
            this.reportedPromptTokens = usage.getPromptTokens();
        }
        if (usage != null && positive(usage.getCompletionTokens())) {
            this.reportedCompletionTokens = usage.getCompletionTokens();
        }
        Generation generation = response.getResult();
        if (generation == null) {
            return new Piece(null, List.of());   // e.g. the final usage-only chunk
        }
        String reason = FinishReasons.of(generation, false);
        if (reason != null) {
            this.finishReason = reason;
        }
        String text = generation.getOutput().getText();
        if (text != null) {
            this.answer.append(text);
        }
        List<ChatCompletionResponse.ToolCall> calls = ChatCompletionResponse.ToolCall.from(generation.getOutput().getToolCalls());
        this.toolCalls.addAll(calls);
        return new Piece(text, calls);
    }

    /** The text so far. */
    String text() {
        return this.answer.toString();
    }

    /** The whole answer, once the model is done. */
    StoredAnswer finish(String requestId, String servedModel) {
        String text = this.answer.toString();
        boolean callsTools = !this.toolCalls.isEmpty();
        List<Citation> citations = callsTools ? List.of() : CitationExtractor.extract(text, this.prompt.passages());
        int promptTokens = this.reportedPromptTokens != null ? this.reportedPromptTokens : this.prompt.promptTokens();
        int completionTokens = this.reportedCompletionTokens != null ? this.reportedCompletionTokens : this.tokens.count(text);
        String reason = callsTools ? "tool_calls" : this.finishReason != null ? this.finishReason : "stop";
        return new StoredAnswer(requestId, text,
                this.toolCalls.stream().map(c -> new StoredAnswer.ToolCallText(c.id(), c.function().name(),
                        c.function().arguments())).toList(),
                reason, promptTokens, completionTokens, citations, servedModel, documents(this.prompt.passages()),
                this.prompt.passageIds());
    }

    /** {@code fileId@version}, or the path for the built-in corpus, of each passage's document. */
    static List<String> documents(List<RetrievedChunk> passages) {
        return passages.stream()
                .map(chunk -> (chunk.fileId() != null ? chunk.fileId() : chunk.documentPath())
                        + "@" + (chunk.fileVersion() == null ? 1 : chunk.fileVersion()))
                .distinct().toList();
    }

    static boolean positive(Integer count) {
        return count != null && count > 0;
    }
}
