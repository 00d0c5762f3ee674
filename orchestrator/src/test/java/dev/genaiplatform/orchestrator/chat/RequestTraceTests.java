package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.orchestrator.chat.RequestTrace.Stage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RequestTraceTests {

    @Test
    void writesEveryStageAndTheTotalAsServerTimingInMillisecondsWithOneDecimal() {
        RequestTrace trace = new RequestTrace("demo", "sim-small", false);
        trace.stageTook(Stage.GUARDRAILS, 3_140_000);
        trace.stageTook(Stage.RETRIEVAL, 5_000_000);
        trace.stageTook(Stage.PROMPT, 420_000);
        trace.stageTook(Stage.MODEL, 210_750_000);

        assertThat(trace.serverTiming()).matches(
                "guardrails;dur=3\\.1, retrieval;dur=5\\.0, prompt;dur=0\\.4, model;dur=210\\.8, total;dur=\\d+\\.\\d");
    }

    @Test
    void turnsWhatItCollectedIntoTheCompletionEvent() {
        RequestTrace trace = new RequestTrace("demo", "sim-small", true);
        trace.verdict(Verdict.REDACTED);
        trace.promptPassages(List.of("architecture.md#3"));
        trace.tokens(412, 58);
        trace.firstToken();
        trace.finishReason("stop");

        ChatCompletionRecordedEvent event = trace.toEvent(Outcome.ANSWERED);

        assertThat(event.requestId()).startsWith("chatcmpl-").isEqualTo(trace.requestId);
        assertThat(event.tenantId()).isEqualTo("demo");
        assertThat(event.streamed()).isTrue();
        assertThat(event.promptTokens()).isEqualTo(412);
        assertThat(event.completionTokens()).isEqualTo(58);
        assertThat(event.timeToFirstTokenMillis()).isNotNull();
        assertThat(event.retrievedChunkIds()).containsExactly("architecture.md#3");
        assertThat(event.guardrailVerdict()).isEqualTo(Verdict.REDACTED);
        assertThat(event.outcome()).isEqualTo(Outcome.ANSWERED);
        assertThat(event.finishReason()).isEqualTo("stop");
    }
}
