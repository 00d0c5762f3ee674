package dev.genaiplatform.orchestrator.agent;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A run's conversation in a form that is stored as JSON and turned into Spring AI messages for every model call.
 * It is the whole state the loop needs to go on, so a run parked for a human resumes in another process.
 */
record Transcript(List<Turn> turns) {

    /**
     * One message.
     *
     * @param role       {@code system}, {@code user}, {@code assistant} or {@code tool}
     * @param content    its text (a tool's result for {@code tool})
     * @param toolCalls  the calls an assistant turn made
     * @param toolCallId for a {@code tool} turn: the call it answers
     * @param toolName   for a {@code tool} turn: the tool
     */
    record Turn(String role, String content, List<Call> toolCalls, String toolCallId, String toolName) {

        Turn {
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        }

        static Turn of(String role, String content) {
            return new Turn(role, content, List.of(), null, null);
        }
    }

    /** A tool call the model made at step {@code stepId}; its idempotency key is derived from both ids. */
    record Call(String id, String name, String arguments, String stepId) {
    }

    Transcript {
        turns = List.copyOf(turns);
    }

    Transcript with(Turn turn) {
        List<Turn> more = new ArrayList<>(this.turns);
        more.add(turn);
        return new Transcript(more);
    }

    /** The last user turn's text as the model reads it (the goal, after guardrails), or "" when there is none. */
    String lastUserText() {
        for (int i = this.turns.size() - 1; i >= 0; i--) {
            if ("user".equals(this.turns.get(i).role())) {
                return this.turns.get(i).content();
            }
        }
        return "";
    }

    /** The calls of the last assistant turn that no tool turn answers yet: what the loop must do next. */
    List<Call> unansweredCalls() {
        for (int i = this.turns.size() - 1; i >= 0; i--) {
            Turn turn = this.turns.get(i);
            if ("assistant".equals(turn.role())) {
                Set<String> answered = this.turns.subList(i + 1, this.turns.size()).stream()
                        .map(Turn::toolCallId).collect(Collectors.toSet());
                return turn.toolCalls().stream().filter(call -> !answered.contains(call.id())).toList();
            }
        }
        return List.of();
    }

    List<Message> messages() {
        List<Message> messages = new ArrayList<>();
        List<ToolResponseMessage.ToolResponse> pending = new ArrayList<>();
        for (Turn turn : this.turns) {
            if ("tool".equals(turn.role())) {
                pending.add(new ToolResponseMessage.ToolResponse(turn.toolCallId(), turn.toolName(), turn.content()));
                continue;
            }
            flush(messages, pending);
            messages.add(switch (turn.role()) {
                case "system" -> new SystemMessage(turn.content());
                case "assistant" -> AssistantMessage.builder()
                        .content(turn.content() == null ? "" : turn.content())
                        .toolCalls(turn.toolCalls().stream()
                                .map(call -> new AssistantMessage.ToolCall(call.id(), "function", call.name(),
                                        call.arguments()))
                                .toList())
                        .build();
                default -> new UserMessage(turn.content());
            });
        }
        flush(messages, pending);
        return messages;
    }

    private static void flush(List<Message> messages, List<ToolResponseMessage.ToolResponse> pending) {
        if (!pending.isEmpty()) {
            messages.add(ToolResponseMessage.builder().responses(List.copyOf(pending)).build());
            pending.clear();
        }
    }
}
