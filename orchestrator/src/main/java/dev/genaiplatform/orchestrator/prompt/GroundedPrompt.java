package dev.genaiplatform.orchestrator.prompt;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * The prompt that goes to the model: our system message with the numbered passages, then the part of the
 * conversation that fits.
 *
 * @param systemText      the rendered system message (instructions and context passages)
 * @param conversation    the client's messages that were kept, in their original order
 * @param passages        the passages in the prompt; passage {@code [n]} is {@code passages.get(n - 1)}
 * @param promptTokens    estimated prompt size in tokens
 * @param droppedMessages how many older messages were left out to fit the budget
 */
public record GroundedPrompt(String systemText, List<ChatMessage> conversation, List<RetrievedChunk> passages,
                             int promptTokens, int droppedMessages) {

    /** The prompt as Spring AI messages, system message first. */
    public List<Message> messages() {
        List<Message> messages = new ArrayList<>(this.conversation.size() + 1);
        messages.add(new SystemMessage(this.systemText));
        for (ChatMessage message : this.conversation) {
            messages.add(switch (message.role()) {
                case "system" -> new SystemMessage(message.content());
                case "assistant" -> new AssistantMessage(message.content());
                default -> new UserMessage(message.content());
            });
        }
        return messages;
    }

    /** Ids of the passages in the prompt, best first. */
    public List<String> passageIds() {
        return this.passages.stream().map(RetrievedChunk::chunkId).toList();
    }
}
