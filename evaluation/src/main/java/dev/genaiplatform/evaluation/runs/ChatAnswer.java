package dev.genaiplatform.evaluation.runs;

import dev.genaiplatform.evaluation.scoring.CitedPassage;

import java.util.List;

/**
 * What the platform answered to one case, as a client sees it.
 *
 * @param status           HTTP status (0 when the call failed before an answer)
 * @param completionId     the chat completion id ({@code id}), null on errors
 * @param content          the answer text, null for a tool call or an error
 * @param citations        the platform's {@code citations}, empty when none
 * @param toolCalls        the calls the model asked for, empty when none
 * @param finishReason     {@code stop}, {@code length}, {@code tool_calls}, ...; null on errors
 * @param promptTokens     usage, 0 when unknown
 * @param completionTokens usage, 0 when unknown
 * @param latencyMillis    request sent to response read, measured by the client
 * @param errorCode        the problem's {@code error.code} on a 4xx/5xx ({@code input_blocked}, ...), else null
 * @param errorMessage     its message, else null
 */
public record ChatAnswer(int status, String completionId, String content, List<CitedPassage> citations,
                         List<ToolCallSeen> toolCalls, String finishReason, int promptTokens, int completionTokens,
                         long latencyMillis, String errorCode, String errorMessage) {

    public ChatAnswer {
        citations = citations == null ? List.of() : List.copyOf(citations);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }

    /** A tool call the model asked for: the function's name and its JSON arguments. */
    public record ToolCallSeen(String name, String arguments) {
    }
}
