package dev.genaiplatform.orchestrator.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.genaiplatform.orchestrator.chat.ChatCompletionResponse.Usage;
import dev.genaiplatform.orchestrator.citation.Citation;

import java.util.List;

/**
 * One server-sent event of a streamed answer, in OpenAI's {@code chat.completion.chunk} shape. A stream is:
 * content chunks as tokens arrive (or {@code delta.tool_calls} chunks when the model calls the client's tools),
 * one chunk with the finish reason that also carries the {@code citations} (the platform's addition), a usage
 * chunk if the client asked for it, then {@code [DONE]}.
 *
 * <p>The citations ride on the finish chunk rather than a chunk of their own because OpenAI clients treat the
 * finish chunk as the last one with content: the official SDK's stream accumulator refuses any further chunk
 * except the usage chunk, and copies unknown top-level fields such as {@code citations} into its result.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ChatCompletionChunk(String id, String object, long created, String model, List<Choice> choices,
                           List<Citation> citations, Usage usage, PlatformMetadata platform) {

    static ChatCompletionChunk content(String id, long created, String model, String role, String text) {
        return new ChatCompletionChunk(id, "chat.completion.chunk", created, model,
                List.of(new Choice(0, new Delta(role, text, null), null)), null, null, null);
    }

    /** One tool call, whole: id, name and all arguments in one delta, which OpenAI clients accumulate like pieces. */
    static ChatCompletionChunk toolCall(String id, long created, String model, String role, int index,
                                        ChatCompletionResponse.ToolCall call) {
        ToolCallDelta delta = new ToolCallDelta(index, call.id(), call.type(), call.function());
        return new ChatCompletionChunk(id, "chat.completion.chunk", created, model,
                List.of(new Choice(0, new Delta(role, null, List.of(delta)), null)), null, null, null);
    }

    static ChatCompletionChunk finish(String id, long created, String model, String finishReason,
                                      List<Citation> citations, PlatformMetadata platform) {
        return new ChatCompletionChunk(id, "chat.completion.chunk", created, model,
                List.of(new Choice(0, new Delta(null, null, null), finishReason)), citations, null, platform);
    }

    static ChatCompletionChunk usage(String id, long created, String model, Usage usage) {
        return new ChatCompletionChunk(id, "chat.completion.chunk", created, model, List.of(), null, usage, null);
    }

    /** {@code finish_reason} is written even when null, as OpenAI does, so clients can read it blindly. */
    record Choice(int index, Delta delta,
                  @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("finish_reason") String finishReason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delta(String role, String content, @JsonProperty("tool_calls") List<ToolCallDelta> toolCalls) {
    }

    record ToolCallDelta(int index, String id, String type, ChatCompletionResponse.FunctionCall function) {
    }
}
