package dev.genaiplatform.orchestrator.chat;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.genaiplatform.orchestrator.citation.Citation;

import java.util.List;

/**
 * A non-streaming answer in OpenAI's {@code chat.completion} shape, plus {@code citations}: the passages
 * the answer cites, so a client can show sources without parsing the text. OpenAI SDKs ignore the extra
 * member.
 */
record ChatCompletionResponse(String id, String object, long created, String model, List<Choice> choices,
                              Usage usage, List<Citation> citations) {

    static ChatCompletionResponse of(String id, long created, String model, String answer, String finishReason,
                                     Usage usage, List<Citation> citations) {
        return new ChatCompletionResponse(id, "chat.completion", created, model,
                List.of(new Choice(0, new ResponseMessage("assistant", answer), finishReason)), usage, citations);
    }

    record Choice(int index, ResponseMessage message, @JsonProperty("finish_reason") String finishReason) {
    }

    record ResponseMessage(String role, String content) {
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
