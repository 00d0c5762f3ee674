package dev.genaiplatform.simulator.model;

/**
 * One message of a conversation as the model reads it.
 *
 * @param role    {@code system}, {@code developer}, {@code user}, {@code assistant} or {@code tool}
 * @param content the text; content parts of type {@code text} are joined with newlines, other parts
 *                are dropped; empty (never null) for an assistant message that carried only tool calls
 * @param name    the optional participant name, or null
 */
public record ChatMessage(String role, String content, String name) {

    public ChatMessage(String role, String content) {
        this(role, content, null);
    }

    public boolean isInstruction() {
        return "system".equals(role) || "developer".equals(role);
    }

    public boolean isUser() {
        return "user".equals(role);
    }
}
