package dev.genaiplatform.guardrails.detection;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.Finding;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.guardrails.pii.PiiDetector;
import dev.genaiplatform.guardrails.size.InputSizeDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GuardrailPipelineTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final GuardrailPipeline pipeline = new GuardrailPipeline(
            List.of(new InputSizeDetector(200), new PiiDetector()), meters);

    @Test
    void allowsCleanInputAndForwardsTheMessagesUnchanged() {
        List<ChatMessage> messages = List.of(new ChatMessage("user", "How does retrieval rank passages?"));

        InputCheckedReply reply = pipeline.check(new CheckInputCommand("r1", messages));

        assertThat(reply.verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(reply.messages()).isEqualTo(messages);
        assertThat(reply.findings()).isEmpty();
        assertThat(reply.reason()).isNull();
        assertThat(reply.requestId()).isEqualTo("r1");
    }

    @Test
    void masksEmailAddressesAndKeepsTheRestOfTheText() {
        InputCheckedReply reply = pipeline.check(new CheckInputCommand("r2", List.of(
                new ChatMessage("system", "You are a helpful assistant."),
                new ChatMessage("user", "Mail me at jane.doe@example.com: how does retrieval rank passages?"))));

        assertThat(reply.verdict()).isEqualTo(Verdict.REDACTED);
        assertThat(reply.messages()).containsExactly(
                new ChatMessage("system", "You are a helpful assistant."),
                new ChatMessage("user", "Mail me at <EMAIL_ADDRESS>: how does retrieval rank passages?"));
        assertThat(reply.findings()).containsExactly(new Finding("pii", "EMAIL_ADDRESS", 1, 11, 31));
    }

    @Test
    void masksEveryCategoryAndReportsOffsetsInTheOriginalText() {
        String original = "I am jane@example.com, call +44 20 7946 0958, card 4111-1111-1111-1111 ok";

        InputCheckedReply reply = pipeline.check(new CheckInputCommand("r3", List.of(new ChatMessage("user", original))));

        assertThat(reply.messages().getFirst().content())
                .isEqualTo("I am <EMAIL_ADDRESS>, call <PHONE_NUMBER>, card <CARD_NUMBER> ok");
        assertThat(reply.findings()).extracting(finding -> original.substring(finding.start(), finding.end()))
                .containsExactly("jane@example.com", "+44 20 7946 0958", "4111-1111-1111-1111");
    }

    @Test
    void checksEveryRoleIncludingSystemAssistantAndToolMessages() {
        InputCheckedReply reply = pipeline.check(new CheckInputCommand("r4", List.of(
                new ChatMessage("system", "Escalate to ops@example.com"),
                new ChatMessage("assistant", "Noted: ops@example.com"),
                new ChatMessage("tool", "{\"owner\":\"ops@example.com\"}"))));

        assertThat(reply.findings()).extracting(Finding::messageIndex).containsExactly(0, 1, 2);
        assertThat(reply.messages()).extracting(ChatMessage::role).containsExactly("system", "assistant", "tool");
    }

    @Test
    void blocksOversizeInputWithAReasonAndNoMessagesAndSkipsLaterDetectors() {
        String big = "jane@example.com ".repeat(20);

        InputCheckedReply reply = pipeline.check(new CheckInputCommand("r5", List.of(new ChatMessage("user", big))));

        assertThat(reply.verdict()).isEqualTo(Verdict.BLOCKED);
        assertThat(reply.messages()).isEmpty();
        assertThat(reply.reason()).contains("limit of 200");
        assertThat(reply.findings()).containsExactly(new Finding("input-size", "INPUT_TOO_LARGE", 0, -1, -1));
    }

    @Test
    void anEarlierDetectorWinsWhenMasksOfTwoDetectorsOverlap() {
        InputDetector first = fixed("first", new Detection.Mask("first", "A", 0, 2, 6));
        InputDetector second = fixed("second", new Detection.Mask("second", "B", 0, 4, 8),
                new Detection.Mask("second", "B", 0, 8, 10));
        var twoDetectors = new GuardrailPipeline(List.of(first, second), meters);

        InputCheckedReply reply = twoDetectors.check(new CheckInputCommand("r6", List.of(new ChatMessage("user", "0123456789"))));

        assertThat(reply.messages().getFirst().content()).isEqualTo("01<A>67<B>");
        assertThat(reply.findings()).containsExactly(new Finding("first", "A", 0, 2, 6), new Finding("second", "B", 0, 8, 10));
    }

    @Test
    void treatsAMissingMessageListAsAnEmptyConversation() {
        assertThat(pipeline.check(new CheckInputCommand("r7", null)).verdict()).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void countsVerdictsAndFindingsByCategory() {
        pipeline.check(new CheckInputCommand("a", List.of(new ChatMessage("user", "a@example.com b@example.com"))));
        pipeline.check(new CheckInputCommand("b", List.of(new ChatMessage("user", "hello"))));

        assertThat(meters.get("guardrails.verdicts").tag("verdict", "REDACTED").counter().count()).isEqualTo(1);
        assertThat(meters.get("guardrails.verdicts").tag("verdict", "ALLOWED").counter().count()).isEqualTo(1);
        assertThat(meters.get("guardrails.findings").tag("category", "EMAIL_ADDRESS").tag("detector", "pii")
                .counter().count()).isEqualTo(2);
    }

    private static InputDetector fixed(String name, Detection... detections) {
        return new InputDetector() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<Detection> detect(List<ChatMessage> messages) {
                return List.of(detections);
            }
        };
    }
}
