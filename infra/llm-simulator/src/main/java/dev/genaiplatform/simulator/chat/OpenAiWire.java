package dev.genaiplatform.simulator.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.util.List;

/**
 * The JSON the simulator writes, field for field as OpenAI's chat-completions API does (the subset it
 * fills). Null fields are written as null where OpenAI writes them, and left out where OpenAI leaves
 * them out.
 */
final class OpenAiWire {

    private OpenAiWire() {
    }

    /** A whole completion ({@code "stream": false}). */
    record ChatCompletion(String id, String object, long created, String model, List<Choice> choices, Usage usage) {

        ChatCompletion(String id, long created, String model, Choice choice, Usage usage) {
            this(id, "chat.completion", created, model, List.of(choice), usage);
        }
    }

    record Choice(int index, Message message, Object logprobs, @JsonProperty("finish_reason") String finishReason) {
    }

    /** The assistant's message; {@code tool_calls} only when it calls tools (then {@code content} is null). */
    record Message(String role, String content, Object refusal,
                   @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("tool_calls") List<ToolCall> toolCalls) {

        Message(String role, String content, Object refusal) {
            this(role, content, refusal, List.of());
        }
    }

    record ToolCall(String id, String type, Function function) {

        ToolCall(String id, String name, String arguments) {
            this(id, "function", new Function(name, arguments));
        }
    }

    /** A call's function; in a stream the name comes once, then the arguments in pieces. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Function(String name, String arguments) {
    }

    /** One piece of a streamed tool call: {@code index} always, id, type and name only in its first piece. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ToolCallDelta(int index, String id, String type, Function function) {
    }

    /** One server-sent event of a streamed completion. {@code usage} only on the last one, when asked. */
    record Chunk(String id, String object, long created, String model, List<ChunkChoice> choices,
                 @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {

        Chunk(String id, long created, String model, ChunkChoice choice) {
            this(id, "chat.completion.chunk", created, model, List.of(choice), null);
        }

        Chunk(String id, long created, String model, Usage usage) {
            this(id, "chat.completion.chunk", created, model, List.of(), usage);
        }
    }

    record ChunkChoice(int index, Delta delta, Object logprobs, @JsonProperty("finish_reason") String finishReason) {
    }

    /** What a chunk adds to the message: the role once, then content or tool-call pieces; empty on the final chunk. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delta(String role, String content, @JsonProperty("tool_calls") List<ToolCallDelta> toolCalls) {

        Delta(String role, String content) {
            this(role, content, null);
        }
    }

    record Usage(@JsonProperty("prompt_tokens") int promptTokens,
                 @JsonProperty("completion_tokens") int completionTokens,
                 @JsonProperty("total_tokens") int totalTokens) {

        Usage(int promptTokens, int completionTokens) {
            this(promptTokens, completionTokens, promptTokens + completionTokens);
        }
    }

    record ModelList(String object, List<ModelCard> data) {
    }

    /** OpenAI's model object plus {@code pricing}, an extra member OpenAI clients ignore. */
    record ModelCard(String id, String object, long created, @JsonProperty("owned_by") String ownedBy,
                     Pricing pricing) {
    }

    /** USD per 1,000 tokens, so a router or a cost report can price a call. */
    record Pricing(String currency, @JsonProperty("input_per_1k_tokens") BigDecimal inputPer1kTokens,
                   @JsonProperty("output_per_1k_tokens") BigDecimal outputPer1kTokens) {
    }

    /** OpenAI's error document: {@code {"error": {"message", "type", "param", "code"}}}. */
    record ErrorBody(ErrorDetail error) {
    }

    record ErrorDetail(String message, String type, String param, String code) {
    }
}
