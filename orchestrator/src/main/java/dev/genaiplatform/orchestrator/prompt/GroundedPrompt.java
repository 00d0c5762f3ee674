package dev.genaiplatform.orchestrator.prompt;

import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage.ToolResponse;
import org.springframework.ai.chat.messages.UserMessage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prompt that goes to the model: our system message with the numbered passages, then the part of the
 * conversation that fits.
 *
 * @param systemText      the rendered system message (instructions and context passages)
 * @param conversation    the client's messages that were kept, in their original order
 * @param passages        the passages in the prompt; passage {@code [n]} is {@code passages.get(n - 1)}
 * @param promptTokens    estimated prompt size in tokens
 * @param droppedMessages how many older messages were left out to fit the budget
 * @param budget          where the tokens went, against the model's window
 * @param instructions    the system message without the passages: what must not leak into an answer
 */
public record GroundedPrompt(String systemText, List<Turn> conversation, List<RetrievedChunk> passages,
                             int promptTokens, int droppedMessages, TokenBudget budget, String instructions) {

    public GroundedPrompt(String systemText, List<Turn> conversation, List<RetrievedChunk> passages,
                          int promptTokens, int droppedMessages, TokenBudget budget) {
        this(systemText, conversation, passages, promptTokens, droppedMessages, budget, null);
    }

    public GroundedPrompt(String systemText, List<Turn> conversation, List<RetrievedChunk> passages,
                          int promptTokens, int droppedMessages) {
        this(systemText, conversation, passages, promptTokens, droppedMessages, null);
    }

    /**
     * The prompt as Spring AI messages, system message first. Consecutive tool results become one
     * {@link ToolResponseMessage}: OpenAI-compatible providers send one {@code tool} message per result,
     * Anthropic needs them together in one turn.
     */
    public List<Message> messages() {
        List<Message> messages = new ArrayList<>(this.conversation.size() + 1);
        messages.add(new SystemMessage(this.systemText));
        Map<String, String> toolNames = new HashMap<>();
        List<ToolResponse> results = new ArrayList<>();
        for (Turn turn : this.conversation) {
            if (turn.isToolResult()) {
                results.add(new ToolResponse(turn.toolCallId(), toolNames.getOrDefault(turn.toolCallId(), ""),
                        turn.content()));
                continue;
            }
            flushToolResults(results, messages);
            turn.toolCalls().forEach(call -> toolNames.put(call.id(), call.name()));
            messages.add(switch (turn.role()) {
                case "system" -> new SystemMessage(turn.content());
                case "assistant" -> AssistantMessage.builder()
                        // a turn that only calls tools has no text; an empty text block is an error for some providers
                        .content(turn.content().isEmpty() && !turn.toolCalls().isEmpty() ? null : turn.content())
                        .toolCalls(turn.toolCalls().stream()
                                .map(call -> new AssistantMessage.ToolCall(call.id(), "function", call.name(),
                                        call.arguments()))
                                .toList())
                        .build();
                default -> new UserMessage(turn.content());
            });
        }
        flushToolResults(results, messages);
        return messages;
    }

    private static void flushToolResults(List<ToolResponse> results, List<Message> messages) {
        if (!results.isEmpty()) {
            messages.add(ToolResponseMessage.builder().responses(List.copyOf(results)).build());
            results.clear();
        }
    }

    /** Ids of the passages in the prompt, best first. */
    public List<String> passageIds() {
        return this.passages.stream().map(RetrievedChunk::chunkId).toList();
    }
}
