package dev.genaiplatform.orchestrator.prompt;

import java.util.List;

/**
 * One message of the client's conversation, after guardrails, in the shape the prompt needs: plain text
 * for every role, plus what tool calling adds. An assistant turn may carry the tool calls the model asked
 * for; a {@code tool} turn is the client's result for one of those calls.
 *
 * @param role       {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param content    the text; empty for an assistant turn that only calls tools
 * @param toolCalls  the tool calls of an assistant turn, else empty
 * @param toolCallId for a {@code tool} turn: the id of the call it answers
 */
public record Turn(String role, String content, List<ToolCall> toolCalls, String toolCallId) {

    public Turn {
        content = content == null ? "" : content;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /** A turn with text only. */
    public static Turn text(String role, String content) {
        return new Turn(role, content, List.of(), null);
    }

    /**
     * A call the model asked for, as OpenAI writes it.
     *
     * @param arguments the arguments as JSON text, exactly as the model produced them
     */
    public record ToolCall(String id, String name, String arguments) {
    }

    public boolean isToolResult() {
        return "tool".equals(this.role);
    }

    /** The text whose tokens this turn costs: its content and, for tool calls, names and arguments. */
    String countedText() {
        if (this.toolCalls.isEmpty()) {
            return this.content;
        }
        StringBuilder text = new StringBuilder(this.content);
        this.toolCalls.forEach(call -> text.append(' ').append(call.name()).append(' ').append(call.arguments()));
        return text.toString();
    }
}
