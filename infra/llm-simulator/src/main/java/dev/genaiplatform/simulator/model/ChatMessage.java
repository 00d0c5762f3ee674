package dev.genaiplatform.simulator.model;

import java.util.List;

/**
 * One message of a conversation as the model reads it.
 *
 * @param role       {@code system}, {@code developer}, {@code user}, {@code assistant} or {@code tool}
 * @param content    the text; content parts of type {@code text} are joined with newlines, other parts
 *                   are dropped; empty (never null) for an assistant message that carried only tool calls
 * @param name       the optional participant name, or null
 * @param toolCalls  the calls an assistant message asked for; empty for every other message
 * @param toolCallId for a {@code tool} message, the id of the call it answers; else null
 */
public record ChatMessage(String role, String content, String name, List<ToolCall> toolCalls, String toolCallId) {

    public ChatMessage {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public ChatMessage(String role, String content, String name) {
        this(role, content, name, List.of(), null);
    }

    public ChatMessage(String role, String content) {
        this(role, content, null);
    }

    public boolean isInstruction() {
        return "system".equals(role) || "developer".equals(role);
    }

    public boolean isUser() {
        return "user".equals(role);
    }

    public boolean isToolResult() {
        return "tool".equals(role);
    }
}
