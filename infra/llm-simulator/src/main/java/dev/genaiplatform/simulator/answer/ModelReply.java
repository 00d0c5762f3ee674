package dev.genaiplatform.simulator.answer;

import dev.genaiplatform.simulator.model.ToolCall;

/**
 * What the model answers: text content, or a call of one of the client's tools (then content is null).
 *
 * @param content   the text (possibly JSON), already cut at a stop sequence; null for a tool call
 * @param toolCall  the call, or null for a text answer
 * @param grounded  whether the text quotes the context (false for refusals, tool calls and tool results)
 */
public record ModelReply(String content, ToolCall toolCall, boolean grounded) {

    public static ModelReply text(String content, boolean grounded) {
        return new ModelReply(content, null, grounded);
    }

    public static ModelReply call(ToolCall call) {
        return new ModelReply(null, call, false);
    }

    public boolean isToolCall() {
        return toolCall != null;
    }

    /** What the model generates token by token: the content, or the call's JSON arguments. */
    public String generatedText() {
        return isToolCall() ? toolCall.arguments() : content;
    }
}
