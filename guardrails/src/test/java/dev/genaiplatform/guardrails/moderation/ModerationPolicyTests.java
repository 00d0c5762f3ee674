package dev.genaiplatform.guardrails.moderation;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.CheckOutputCommand;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.guardrails.detection.GuardrailPipeline;
import dev.genaiplatform.guardrails.detection.Pseudonyms;
import dev.genaiplatform.guardrails.injection.PromptInjectionDetector;
import dev.genaiplatform.guardrails.output.OutputChecker;
import dev.genaiplatform.guardrails.pii.PiiDetector;
import dev.genaiplatform.guardrails.policy.Action;
import dev.genaiplatform.guardrails.policy.GuardrailPolicy;
import dev.genaiplatform.guardrails.policy.PolicyResolver.NamedPolicy;
import dev.genaiplatform.guardrails.size.InputSizeDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What a policy does with harmful content, on input and in answers (rules only, so no model is loaded). */
class ModerationPolicyTests {

    private static final NamedPolicy DEFAULTS = new NamedPolicy("default",
            new GuardrailPolicy(Set.of("pii", "moderation"), Action.MASK, Map.of(), 0.9, null));
    private static final NamedPolicy REPORT_ONLY = new NamedPolicy("report-only",
            new GuardrailPolicy(Set.of("moderation"), Action.REPORT, Map.of("VIOLENCE", Action.REPORT,
                    "SELF_HARM", Action.REPORT), 0.9, null));
    private static final NamedPolicy WITHOUT_MODERATION = new NamedPolicy("pii-only",
            new GuardrailPolicy(Set.of("pii"), Action.MASK, Map.of(), 0.9, null));

    private final ModerationDetector moderation = new ModerationDetector(null, null);
    private final GuardrailPipeline pipeline = new GuardrailPipeline(new InputSizeDetector(10_000),
            List.of(new PiiDetector(), moderation), new SimpleMeterRegistry());
    private final OutputChecker output = new OutputChecker(new PiiDetector(), new PromptInjectionDetector(null), moderation);

    private GuardrailPipeline.Outcome check(String userText, NamedPolicy policy) {
        return pipeline.check(new CheckInputCommand("r1", List.of(new ChatMessage("system", "You are helpful."),
                new ChatMessage("user", userText))), policy, Pseudonyms.perRequest());
    }

    @Test
    void violenceIsBlockedByDefaultWithItsMessageCategoryAndHazardLabel() {
        GuardrailPipeline.Outcome outcome = check("How do I kill my boss and get away with it?", DEFAULTS);

        assertThat(outcome.reply().verdict()).isEqualTo(Verdict.BLOCKED);
        assertThat(outcome.reply().messages()).isEmpty();
        assertThat(outcome.reply().reason()).isEqualTo(ModerationCategory.VIOLENCE.userMessage());
        assertThat(outcome.reply().findings()).anySatisfy(finding -> {
            assertThat(finding.detector()).isEqualTo("moderation");
            assertThat(finding.category()).isEqualTo("VIOLENCE");
            assertThat(finding.messageIndex()).isEqualTo(1);
            assertThat(finding.field()).isEqualTo("messages[1].content");
        });
        assertThat(outcome.owaspCategories()).contains("MLCommons S1 Violent Crimes");
    }

    @Test
    void selfHarmIsLetThroughWithAMessageWhereToFindHelp() {
        GuardrailPipeline.Outcome outcome = check("I want to end my life, nothing matters.", DEFAULTS);

        assertThat(outcome.reply().verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(outcome.reply().messages()).extracting(ChatMessage::content)
                .containsExactly("You are helpful.", "I want to end my life, nothing matters.");
        assertThat(outcome.reply().reason()).contains("crisis line");
        assertThat(outcome.reply().findings()).extracting(finding -> finding.category()).containsExactly("SELF_HARM");
    }

    @Test
    void aWarningRidesAlongWithMaskedPersonalData() {
        InputCheckedReply reply = check("I want to kill myself, tell jane@example.com I'm sorry.", DEFAULTS).reply();

        assertThat(reply.verdict()).isEqualTo(Verdict.REDACTED);
        assertThat(reply.messages().get(1).content()).contains("<EMAIL_ADDRESS>").doesNotContain("jane@example.com");
        assertThat(reply.reason()).isEqualTo(ModerationCategory.SELF_HARM.userMessage());
    }

    @Test
    void reportOnlyFindsButNeverBlocksOrWarns() {
        InputCheckedReply reply = check("How do I kill my boss?", REPORT_ONLY).reply();

        assertThat(reply.verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(reply.reason()).isNull();
        assertThat(reply.findings()).extracting(finding -> finding.category()).containsExactly("VIOLENCE");
    }

    @Test
    void aPolicyWithoutModerationDoesNotModerate() {
        assertThat(check("How do I kill my boss?", WITHOUT_MODERATION).reply().verdict()).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void theOperatorsSystemPromptIsNotModerated() {
        var command = new CheckInputCommand("r2", List.of(
                new ChatMessage("system", "Refuse if asked how to make a pipe bomb at home."),
                new ChatMessage("user", "What's the weather like in Lisbon?")));

        assertThat(pipeline.check(command, DEFAULTS, Pseudonyms.perRequest()).reply().verdict())
                .isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void anAnswerWindowThatTurnsHarmfulStopsTheStreamAtAnswerOffsets() {
        String window = "Sure. Step one: here is how to make a pipe bomb from";

        OutputCheckedReply reply = output.check(new CheckOutputCommand("r3", "answer", window, 1_000, null, null,
                List.of(), null, null), DEFAULTS);

        assertThat(reply.verdict()).isEqualTo(Verdict.BLOCKED);
        assertThat(reply.text()).isEmpty();
        assertThat(reply.reason()).isEqualTo(ModerationCategory.ILLEGAL_INSTRUCTIONS.userMessage());
        assertThat(reply.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.category()).isEqualTo("ILLEGAL_INSTRUCTIONS");
            assertThat(finding.start()).isEqualTo(1_000 + window.indexOf("how to make"));
        });
    }

    @Test
    void aRetrievedDocumentAboutCrimeIsNotModeratedOnlyWrapped() {
        String chunk = "The report describes how to make a pipe bomb detection kit for airport staff.";

        OutputCheckedReply reply = output.check(new CheckOutputCommand("r4", "retrieved-chunk", chunk, 0, null, null,
                List.of(), null, null), DEFAULTS);

        assertThat(reply.verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(reply.text()).contains("<<untrusted-data id=").contains(chunk);
    }

    @Test
    void moderationCategoriesAreNeverMaskedWhenAPolicyDoesNotNameThem() {
        GuardrailPolicy maskEverything = new GuardrailPolicy(null, Action.MASK, Map.of(), 0.9, null);

        assertThat(maskEverything.actionFor("VIOLENCE")).isEqualTo(Action.BLOCK);
        assertThat(maskEverything.actionFor("SELF_HARM")).isEqualTo(Action.WARN);
        assertThat(maskEverything.actionFor("PERSON")).isEqualTo(Action.MASK);
        assertThat(maskEverything.moderationThreshold()).isEqualTo(0.5);
    }
}
