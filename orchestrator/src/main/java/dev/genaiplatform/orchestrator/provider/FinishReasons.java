package dev.genaiplatform.orchestrator.provider;

import org.springframework.ai.chat.model.Generation;

import java.util.Locale;

/**
 * Finish reasons in OpenAI's words whatever the provider said: Spring AI passes on each provider's own
 * ({@code STOP} for OpenAI, {@code end_turn} or {@code tool_use} for Anthropic, {@code stop} for Ollama). A turn
 * with tool calls is {@code tool_calls} whatever the provider said (Ollama says {@code stop}).
 */
public final class FinishReasons {

    private FinishReasons() {
    }

    /** OpenAI's finish reason of a generation, or null when it carries none (a mid-stream chunk). */
    public static String of(Generation generation, boolean toolCalls) {
        if (toolCalls) {
            return "tool_calls";
        }
        String reason = generation == null ? null : generation.getMetadata().getFinishReason();
        if (reason == null || reason.isBlank()) {
            return null;
        }
        return switch (reason.toLowerCase(Locale.ROOT)) {
            case "end_turn", "stop_sequence" -> "stop";
            case "max_tokens" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> reason.toLowerCase(Locale.ROOT);
        };
    }
}
