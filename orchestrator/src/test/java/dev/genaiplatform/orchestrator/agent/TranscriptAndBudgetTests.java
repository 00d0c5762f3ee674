package dev.genaiplatform.orchestrator.agent;

import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TranscriptAndBudgetTests {

    private static final Transcript.Call ADD = new Transcript.Call("call_1", "calculator", "{\"expression\":\"1+1\"}", "step-1");
    private static final Transcript.Call MAIL = new Transcript.Call("call_2", "send_email", "{\"to\":\"a\"}", "step-1");

    @Test
    void theCallsOfTheLastAssistantTurnWithoutAToolTurnAreWhatRemainsToDo() {
        Transcript transcript = new Transcript(List.of(Transcript.Turn.of("user", "goal")))
                .with(new Transcript.Turn("assistant", null, List.of(ADD, MAIL), null, null))
                .with(new Transcript.Turn("tool", "{\"value\":2}", List.of(), "call_1", "calculator"));
        assertThat(transcript.unansweredCalls()).containsExactly(MAIL);
        assertThat(transcript.with(new Transcript.Turn("tool", "{}", List.of(), "call_2", "send_email"))
                .unansweredCalls()).isEmpty();
    }

    @Test
    void consecutiveToolTurnsBecomeOneToolResponseMessageAfterTheAssistantsCalls() {
        Transcript transcript = new Transcript(List.of(Transcript.Turn.of("system", "s"), Transcript.Turn.of("user", "u")))
                .with(new Transcript.Turn("assistant", null, List.of(ADD, MAIL), null, null))
                .with(new Transcript.Turn("tool", "2", List.of(), "call_1", "calculator"))
                .with(new Transcript.Turn("tool", "sent", List.of(), "call_2", "send_email"));
        List<Message> messages = transcript.messages();
        assertThat(messages).hasSize(4);
        assertThat(((AssistantMessage) messages.get(2)).getToolCalls()).extracting(AssistantMessage.ToolCall::id)
                .containsExactly("call_1", "call_2");
        assertThat(((ToolResponseMessage) messages.get(3)).getResponses())
                .extracting(ToolResponseMessage.ToolResponse::responseData).containsExactly("2", "sent");
    }

    @Test
    void eachLimitIsNamedWhenReachedAndNoneBefore() {
        AgentRun.Budget budget = new AgentRun.Budget(3, 1000, new BigDecimal("0.01"), 60_000);
        assertThat(budget.exceeded(2, 999, new BigDecimal("0.009"), 59_999)).isNull();
        assertThat(budget.exceeded(3, 0, BigDecimal.ZERO, 0)).contains("max steps (3)");
        assertThat(budget.exceeded(0, 1000, BigDecimal.ZERO, 0)).contains("max tokens (1000)");
        assertThat(budget.exceeded(0, 0, new BigDecimal("0.0100"), 0)).contains("max cost (0.01 USD)");
        assertThat(budget.exceeded(0, 0, BigDecimal.ZERO, 60_000)).contains("max wall time");
    }
}
