package dev.genaiplatform.guardrails.detection;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.Finding;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.guardrails.ToolCall;
import dev.genaiplatform.contracts.guardrails.ToolDefinition;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.guardrails.pii.PiiDetector;
import dev.genaiplatform.guardrails.policy.Action;
import dev.genaiplatform.guardrails.policy.GuardrailPolicy;
import dev.genaiplatform.guardrails.policy.OwaspCategory;
import dev.genaiplatform.guardrails.policy.PolicyResolver.NamedPolicy;
import dev.genaiplatform.guardrails.size.InputSizeDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GuardrailPipelineTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final GuardrailPipeline pipeline = new GuardrailPipeline(new InputSizeDetector(200),
            List.of(new PiiDetector()), meters);

    private static NamedPolicy policy(Action defaultAction, Map<String, Action> actions) {
        return new NamedPolicy("test", new GuardrailPolicy(Set.of("pii"), defaultAction, actions, 0.5, null));
    }

    private static final NamedPolicy MASK = policy(Action.MASK, Map.of());

    private InputCheckedReply check(CheckInputCommand command, NamedPolicy policy) {
        return pipeline.check(command, policy, Pseudonyms.perRequest()).reply();
    }

    @Test
    void allowsCleanInputAndReturnsItUnchanged() {
        List<ChatMessage> messages = List.of(new ChatMessage("user", "How does retrieval rank passages?"));

        InputCheckedReply reply = check(new CheckInputCommand("r1", messages), MASK);

        assertThat(reply.verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(reply.messages()).isEqualTo(messages);
        assertThat(reply.findings()).isEmpty();
    }

    @Test
    void masksPersonalDataInEveryPartThatReachesTheModelAndSaysWhere() {
        var command = new CheckInputCommand("r2",
                List.of(new ChatMessage("user", "hi"),
                        new ChatMessage("assistant", null, List.of(new ToolCall("c1", "lookup", "{\"mail\":\"a@example.com\"}")))),
                List.of(new ToolDefinition("notify", "Always copy ops@example.com", "{\"type\":\"object\"}")),
                "{\"description\":\"owner b@example.com\"}", List.of("c@example.com"), "d@example.com", null);

        InputCheckedReply reply = check(command, MASK);

        assertThat(reply.verdict()).isEqualTo(Verdict.REDACTED);
        assertThat(reply.findings()).extracting(Finding::field).containsExactly(
                "messages[1].toolCalls[0].arguments", "tools[0].description", "responseFormatSchema", "stop[0]", "user");
        assertThat(reply.findings()).extracting(Finding::messageIndex).containsExactly(1, -1, -1, -1, -1);
        assertThat(reply.messages().get(1).toolCalls().getFirst().arguments()).isEqualTo("{\"mail\":\"<EMAIL_ADDRESS>\"}");
        assertThat(reply.messages().get(1).content()).isNull();
        assertThat(reply.tools().getFirst().description()).isEqualTo("Always copy <EMAIL_ADDRESS>");
        assertThat(reply.responseFormatSchema()).isEqualTo("{\"description\":\"owner <EMAIL_ADDRESS>\"}");
        assertThat(reply.stop()).containsExactly("<EMAIL_ADDRESS>");
        assertThat(reply.user()).isEqualTo("<EMAIL_ADDRESS>");
    }

    @Test
    void findingsPointIntoTheOriginalTextAndCarryNoText() {
        String original = "I am jane@example.com, IBAN GB82 WEST 1234 5698 7654 32 ok";

        InputCheckedReply reply = check(new CheckInputCommand("r3", List.of(new ChatMessage("user", original))), MASK);

        assertThat(reply.messages().getFirst().content()).isEqualTo("I am <EMAIL_ADDRESS>, IBAN <IBAN_CODE> ok");
        Finding iban = reply.findings().get(1);
        assertThat(original.substring(iban.start(), iban.end())).isEqualTo("GB82 WEST 1234 5698 7654 32");
        assertThat(reply.findings().toString()).doesNotContain("jane").doesNotContain("WEST");
    }

    @Test
    void aBlockingCategoryBlocksTheWholeRequestAndForwardsNothing() {
        var strict = policy(Action.MASK, Map.of("US_SSN", Action.BLOCK));

        InputCheckedReply reply = check(new CheckInputCommand("r4", List.of(
                new ChatMessage("user", "my SSN is 536-22-8954, mail me at a@example.com"))), strict);

        assertThat(reply.verdict()).isEqualTo(Verdict.BLOCKED);
        assertThat(reply.messages()).isEmpty();
        assertThat(reply.reason()).contains("us ssn");
        assertThat(reply.findings()).extracting(Finding::category).contains("US_SSN", "EMAIL_ADDRESS");
    }

    @Test
    void pseudonymisationGivesTheSameValueTheSamePlaceholderAndOthersNewOnes() {
        var pseudonymise = policy(Action.PSEUDONYMISE, Map.of());

        InputCheckedReply reply = check(new CheckInputCommand("r5", List.of(
                new ChatMessage("user", "a@example.com wrote to b@example.com"),
                new ChatMessage("user", "reply to a@example.com"))), pseudonymise);

        assertThat(reply.messages()).extracting(ChatMessage::content).containsExactly(
                "<EMAIL_ADDRESS_1> wrote to <EMAIL_ADDRESS_2>", "reply to <EMAIL_ADDRESS_1>");
    }

    @Test
    void redactRemovesTheSpanAndReportOnlyChangesNothing() {
        var command = new CheckInputCommand("r6", List.of(new ChatMessage("user", "key: a@example.com!")));

        assertThat(check(command, policy(Action.REDACT, Map.of())).messages().getFirst().content()).isEqualTo("key: !");
        InputCheckedReply reported = check(command, policy(Action.REPORT, Map.of()));
        assertThat(reported.verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(reported.messages().getFirst().content()).isEqualTo("key: a@example.com!");
        assertThat(reported.findings()).hasSize(1);
    }

    @Test
    void theSizeLimitCountsToolDefinitionsTooAndBlocksBeforeScanning() {
        var command = new CheckInputCommand("r7", List.of(new ChatMessage("user", "short")),
                List.of(new ToolDefinition("t", "x".repeat(300), null)), null, List.of(), null, null);

        var outcome = pipeline.check(command, MASK, Pseudonyms.perRequest());

        assertThat(outcome.reply().verdict()).isEqualTo(Verdict.BLOCKED);
        assertThat(outcome.reply().findings()).singleElement().satisfies(finding -> {
            assertThat(finding.category()).isEqualTo("INPUT_TOO_LARGE");
            assertThat(finding.field()).isEqualTo("tools[0].description");
        });
        assertThat(outcome.owaspCategories()).containsExactly(OwaspCategory.UNBOUNDED_CONSUMPTION);
    }

    @Test
    void anEarlierDetectorWinsWhenSpansOfTwoDetectorsOverlap() {
        InputDetector first = fixed("first", new Detection.Span("first", "A", 0, 2, 6));
        InputDetector second = fixed("second", new Detection.Span("second", "B", 0, 4, 8),
                new Detection.Span("second", "B", 0, 8, 10));
        var twoDetectors = new GuardrailPipeline(new InputSizeDetector(100), List.of(first, second), meters);
        var both = new NamedPolicy("both", new GuardrailPolicy(Set.of("first", "second"), Action.MASK, Map.of(), 0.5, null));

        InputCheckedReply reply = twoDetectors.check(new CheckInputCommand("r8",
                List.of(new ChatMessage("user", "0123456789"))), both, Pseudonyms.perRequest()).reply();

        assertThat(reply.messages().getFirst().content()).isEqualTo("01<A>67<B>");
    }

    @Test
    void aScoreAtTheThresholdCountsAndIsReported() {
        InputDetector scorer = fixed("injection", new Detection.Score("injection", "PROMPT_INJECTION", 0, 0.5));
        var withScores = new GuardrailPipeline(new InputSizeDetector(100), List.of(scorer), meters);
        var policy = new NamedPolicy("p", new GuardrailPolicy(Set.of("injection"), Action.MASK, Map.of(), 0.5, null));

        var outcome = withScores.check(new CheckInputCommand("r9", List.of(new ChatMessage("user", "x"))), policy,
                Pseudonyms.perRequest());

        assertThat(outcome.reply().verdict()).isEqualTo(Verdict.BLOCKED);
        assertThat(outcome.reply().injectionScore()).isEqualTo(0.5);
        assertThat(outcome.owaspCategories()).containsExactly(OwaspCategory.PROMPT_INJECTION);
    }

    @Test
    void aCommandWithoutMessagesIsAllowed() {
        assertThat(check(new CheckInputCommand("r10", null), MASK).verdict()).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void countsVerdictsAndFindings() {
        check(new CheckInputCommand("a", List.of(new ChatMessage("user", "a@example.com b@example.com"))), MASK);
        check(new CheckInputCommand("b", List.of(new ChatMessage("user", "hello"))), MASK);

        assertThat(meters.get("guardrails.verdicts").tag("verdict", "REDACTED").counter().count()).isEqualTo(1);
        assertThat(meters.get("guardrails.verdicts").tag("verdict", "ALLOWED").counter().count()).isEqualTo(1);
        assertThat(meters.get("guardrails.findings").tag("category", "EMAIL_ADDRESS").counter().count()).isEqualTo(2);
    }

    private static InputDetector fixed(String name, Detection... detections) {
        return new InputDetector() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<Detection> detect(List<CheckedText> texts) {
                return List.of(detections);
            }
        };
    }
}
