package dev.genaiplatform.simulator.chat;

import dev.genaiplatform.simulator.answer.ReplyOptions;
import dev.genaiplatform.simulator.model.ChatMessage;

import java.util.List;

/**
 * The parts of an OpenAI chat-completion request the simulator acts on. Anything else a client may send
 * (logprobs, user, metadata, ...) is accepted and ignored.
 *
 * @param model        the model profile to use
 * @param messages     the conversation, at least one message
 * @param stream       answer as server-sent events
 * @param includeUsage {@code stream_options.include_usage}: end the stream with a usage chunk
 * @param maxTokens    {@code max_completion_tokens}, else {@code max_tokens}, else null (no limit)
 * @param options      tools, tool_choice, response_format and the sampling parameters, already checked
 * @param n            how many choices to generate, 1..128
 */
record ChatCompletionRequest(String model, List<ChatMessage> messages, boolean stream, boolean includeUsage,
                             Integer maxTokens, ReplyOptions options, int n) {

    ChatCompletionRequest(String model, List<ChatMessage> messages, boolean stream, boolean includeUsage,
                          Integer maxTokens) {
        this(model, messages, stream, includeUsage, maxTokens, ReplyOptions.DEFAULT, 1);
    }
}
