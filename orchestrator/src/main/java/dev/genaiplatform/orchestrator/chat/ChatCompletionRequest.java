package dev.genaiplatform.orchestrator.chat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.genaiplatform.contracts.guardrails.ChatMessage;
import org.springframework.util.StringUtils;

import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /v1/chat/completions}, as OpenAI defines it. Only the fields the platform uses
 * are read; anything else (tools, n, logprobs, ...) is ignored for now.
 *
 * @param model         the model name, passed to the model server as is
 * @param messages      the conversation, oldest first
 * @param stream        {@code true} for server-sent events
 * @param streamOptions {@code include_usage} asks for a final usage chunk when streaming
 * @param temperature   sampling temperature, forwarded when set
 * @param topP          nucleus sampling, forwarded when set
 * @param maxTokens     upper bound on the answer's length, forwarded when set
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatCompletionRequest(
        String model,
        List<Message> messages,
        Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("max_tokens") Integer maxTokens) {

    private static final Set<String> ROLES = Set.of("system", "user", "assistant");

    /** One message; {@code content} must be plain text (content parts are not supported). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Message(String role, String content) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {
    }

    boolean streaming() {
        return Boolean.TRUE.equals(this.stream);
    }

    boolean includeUsage() {
        return this.streamOptions != null && Boolean.TRUE.equals(this.streamOptions.includeUsage());
    }

    /**
     * Checks what the flow relies on. The gateway validates too; this is defense in depth, because a
     * malformed request must become a 400 here rather than an odd failure three services later.
     */
    void validate() {
        if (!StringUtils.hasText(this.model)) {
            throw ChatCompletionException.invalidRequest("'model' is required.");
        }
        if (this.messages == null || this.messages.isEmpty()) {
            throw ChatCompletionException.invalidRequest("'messages' must contain at least one message.");
        }
        for (int i = 0; i < this.messages.size(); i++) {
            Message message = this.messages.get(i);
            if (message == null || !ROLES.contains(message.role())) {
                throw ChatCompletionException.invalidRequest(
                        "messages[" + i + "].role must be one of system, user, assistant.");
            }
            if (message.content() == null) {
                throw ChatCompletionException.invalidRequest("messages[" + i + "].content must be a string.");
            }
        }
        if (this.messages.stream().noneMatch(m -> "user".equals(m.role()))) {
            throw ChatCompletionException.invalidRequest("'messages' must contain a user message.");
        }
        if (this.temperature != null && (this.temperature < 0 || this.temperature > 2)) {
            throw ChatCompletionException.invalidRequest("'temperature' must be between 0 and 2.");
        }
        if (this.topP != null && (this.topP <= 0 || this.topP > 1)) {
            throw ChatCompletionException.invalidRequest("'top_p' must be greater than 0 and at most 1.");
        }
        if (this.maxTokens != null && this.maxTokens < 1) {
            throw ChatCompletionException.invalidRequest("'max_tokens' must be positive.");
        }
    }

    /** The conversation in the platform's wire form, for guardrails. */
    List<ChatMessage> conversation() {
        return this.messages.stream().map(m -> new ChatMessage(m.role(), m.content())).toList();
    }
}
