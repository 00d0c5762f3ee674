package dev.genaiplatform.contracts.guardrails;

import java.util.List;

/**
 * One message of a conversation, as guardrails sees it.
 *
 * @param role    {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param content   the text of the message (for {@code tool}, the tool's result)
 * @param toolCalls the tool calls of an {@code assistant} message, empty otherwise
 */
public record ChatMessage(String role, String content, List<ToolCall> toolCalls) {

    /** A message without tool calls. */
    public ChatMessage(String role, String content) {
        this(role, content, List.of());
    }
}
