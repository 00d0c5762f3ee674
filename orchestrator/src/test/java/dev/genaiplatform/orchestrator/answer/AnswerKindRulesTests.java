package dev.genaiplatform.orchestrator.answer;

import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerKindRulesTests {

    private final AnswerKindRules rules = new AnswerKindRules(new AnswerKindSettings(
            new AnswerKindSettings.Abstain(true, 0.2, "I don't know."),
            new AnswerKindSettings.Clarify(true, 2, 0.1, 3)));

    private static RetrievedChunk chunk(String id, String path, String heading, String text, double score) {
        return new RetrievedChunk(id, path, heading, 0, text.length(), text, score);
    }

    private static final List<RetrievedChunk> TIMEOUT_PASSAGES = List.of(
            chunk("gateway.md#2", "gateway.md", "Gateway > Timeouts", "The gateway closes idle connections after a timeout.", 0.0328),
            chunk("orchestrator.md#9", "orchestrator.md", "Orchestrator > Resilience", "A model call has first-token and idle timeouts.", 0.0322),
            chunk("gateway.md#3", "gateway.md", "Gateway > Limits", "Rate limits per key.", 0.0160));

    @Test
    void answersAQuestionWhosePassagesShareItsWords() {
        assertThat(this.rules.decide("How does the gateway handle idle connections?", true, false, TIMEOUT_PASSAGES))
                .isInstanceOf(AnswerKindRules.Answer.class);
    }

    @Test
    void abstainsWhenNothingWasRetrievedOrNothingRetrievedSharesTheQuestionsWords() {
        assertThat(this.rules.decide("How do timeouts work?", true, false, List.of()))
                .isInstanceOf(AnswerKindRules.Abstain.class);
        assertThat(this.rules.decide("What is the capital of France?", true, false, TIMEOUT_PASSAGES))
                .isInstanceOfSatisfying(AnswerKindRules.Abstain.class, a -> assertThat(a.why()).contains("below 0.20"));
    }

    @Test
    void stemsSoThatPluralsAndIngFormsMatch() {
        assertThat(ContentTerms.of("ranking passages")).containsExactly("rank", "passage");
        assertThat(ContentTerms.of("rankings of the passage ranks")).containsExactly("rank", "passage");
    }

    @Test
    void asksWhatAPronounMeansWhenThereIsNoEarlierTurn() {
        AnswerKindRules.Decision decision = this.rules.decide("How do I configure it?", true, false, TIMEOUT_PASSAGES);
        assertThat(decision).isInstanceOfSatisfying(AnswerKindRules.Clarify.class, clarify -> {
            assertThat(clarify.question()).startsWith("What does \"it\" refer to?");
            assertThat(clarify.options()).containsExactly("Gateway", "Orchestrator");
        });
    }

    @Test
    void aPronounIsResolvedByHistoryOrByTheNounAfterIt() {
        assertThat(this.rules.decide("How do I configure it?", true, true, TIMEOUT_PASSAGES))
                .isInstanceOf(AnswerKindRules.Answer.class);
        assertThat(this.rules.decide("What does this gateway limit?", true, false, TIMEOUT_PASSAGES))
                .isInstanceOf(AnswerKindRules.Answer.class);
    }

    @Test
    void asksWhichMeaningWhenAShortRequestMatchesTwoDocumentsAboutEqually() {
        AnswerKindRules.Decision decision = this.rules.decide("idle timeouts", true, false, TIMEOUT_PASSAGES);
        assertThat(decision).isInstanceOfSatisfying(AnswerKindRules.Clarify.class,
                clarify -> assertThat(clarify.options()).containsExactly("Gateway", "Orchestrator"));
    }

    @Test
    void doesNotAskWhenTheRequestIsAQuestionOrOneDocumentClearlyWinsOrBothAreTheSameDocument() {
        assertThat(this.rules.decide("idle timeouts?", true, false, TIMEOUT_PASSAGES))
                .isInstanceOf(AnswerKindRules.Answer.class);
        List<RetrievedChunk> clearWinner = List.of(TIMEOUT_PASSAGES.get(0),
                chunk("orchestrator.md#9", "orchestrator.md", "Orchestrator > Resilience", "idle timeouts", 0.0200));
        assertThat(this.rules.decide("idle timeouts", true, false, clearWinner)).isInstanceOf(AnswerKindRules.Answer.class);
        List<RetrievedChunk> oneDocument = List.of(TIMEOUT_PASSAGES.get(0), TIMEOUT_PASSAGES.get(2));
        assertThat(this.rules.decide("idle timeouts", true, false, oneDocument)).isNotInstanceOf(AnswerKindRules.Clarify.class);
    }

    @Test
    void requestsThatDoNotNeedTheSourcesAreNeverHeldBack() {
        assertThat(this.rules.decide("What is the capital of France?", false, false, List.of()))
                .isInstanceOf(AnswerKindRules.Answer.class);
        assertThat(this.rules.decide("And what about it?", true, true, List.of()))
                .isInstanceOf(AnswerKindRules.Answer.class);
    }

    /** Wave 14: the chat flow hands in the relevance it computed for the trace; the rules then use it, not their own. */
    @Test
    void usesTheRelevanceHandedInInsteadOfComputingItAgain() {
        String question = "How does the gateway handle idle connections?";
        assertThat(this.rules.decide(question, true, false, TIMEOUT_PASSAGES, passage -> 0.0))
                .isInstanceOfSatisfying(AnswerKindRules.Abstain.class, a -> assertThat(a.why()).contains("0.00 below"));
        java.util.Set<String> terms = ContentTerms.of(question);
        assertThat(this.rules.decide(question, true, false, TIMEOUT_PASSAGES,
                passage -> AnswerKindRules.relevance(terms, passage)))
                .isEqualTo(this.rules.decide(question, true, false, TIMEOUT_PASSAGES));
        assertThat(this.rules.decide("idle timeouts", true, false, TIMEOUT_PASSAGES, passage -> 0.0))
                .as("the ambiguity rule's relevance is the one handed in too").isInstanceOf(AnswerKindRules.Abstain.class);
    }
}
