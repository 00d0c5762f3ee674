package dev.genaiplatform.orchestrator.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.genaiplatform.orchestrator.cache.StoredAnswer;
import dev.genaiplatform.orchestrator.citation.Citation;
import org.springframework.ai.chat.messages.AssistantMessage;

import java.util.List;
import java.util.UUID;

/**
 * A non-streaming answer in OpenAI's {@code chat.completion} shape, plus {@code citations}: the passages
 * the answer cites, so a client can show sources without parsing the text. OpenAI SDKs ignore the extra
 * member. When the model calls the client's tools, the message carries {@code tool_calls} and
 * {@code content: null}, and {@code finish_reason} is {@code tool_calls}, as OpenAI answers.
 */
record ChatCompletionResponse(String id, String object, long created, String model, List<Choice> choices,
                              Usage usage, List<Citation> citations,
                              @JsonInclude(JsonInclude.Include.NON_NULL) PlatformMetadata platform) {

    static ChatCompletionResponse of(String id, long created, String model, StoredAnswer answer,
                                     PlatformMetadata platform) {
        List<ToolCall> toolCalls = ToolCall.fromStored(answer.toolCalls());
        boolean callsTools = !toolCalls.isEmpty();
        ResponseMessage message = new ResponseMessage("assistant",
                callsTools && answer.answer().isEmpty() ? null : answer.answer(), callsTools ? toolCalls : null);
        return new ChatCompletionResponse(id, "chat.completion", created, model,
                List.of(new Choice(0, message, answer.finishReason())),
                Usage.of(answer.promptTokens(), answer.completionTokens()), answer.citations(), platform);
    }

    record Choice(int index, ResponseMessage message, @JsonProperty("finish_reason") String finishReason) {
    }

    /** {@code content} is written even when null (OpenAI does so for tool calls); {@code tool_calls} only when present. */
    record ResponseMessage(String role, String content,
                           @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("tool_calls") List<ToolCall> toolCalls) {
    }

    /** A call of one of the client's tools, for the client to run. */
    record ToolCall(String id, String type, FunctionCall function) {

        /** Providers without call ids (Ollama) get one here: the client must echo it in its tool message. */
        static List<ToolCall> from(List<AssistantMessage.ToolCall> calls) {
            return calls.stream()
                    .map(call -> new ToolCall(call.id() == null || call.id().isBlank()
                            ? "call_" + UUID.randomUUID().toString().replace("-", "") : call.id(),
                            "function", new FunctionCall(call.name(), call.arguments())))
                    .toList();
        }

        static List<ToolCall> fromStored(List<StoredAnswer.ToolCallText> calls) {
            return calls.stream().map(c -> new ToolCall(c.id(), "function", new FunctionCall(c.name(), c.arguments())))
                    .toList();
        }
    }

    /** The function to call and its arguments as JSON text. */
    record FunctionCall(String name, String arguments) {
    }

    /** Token counts as the model server reported them, or as counted here when it did not. */
    record Usage(@JsonProperty("prompt_tokens") int promptTokens,
                 @JsonProperty("completion_tokens") int completionTokens,
                 @JsonProperty("total_tokens") int totalTokens) {

        static Usage of(int promptTokens, int completionTokens) {
            return new Usage(promptTokens, completionTokens, promptTokens + completionTokens);
        }
    }
}
