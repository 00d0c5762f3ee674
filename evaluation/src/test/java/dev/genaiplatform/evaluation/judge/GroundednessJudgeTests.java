package dev.genaiplatform.evaluation.judge;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GroundednessJudgeTests {

    @Test
    void readsTheVerdictEvenInsideTextOrACodeFence() {
        assertThat(GroundednessJudge.parse("{\"sentences\": 4, \"supported\": 3}")).contains(0.75);
        assertThat(GroundednessJudge.parse("Here you go:\n```json\n{\"sentences\":2,\"supported\":2}\n```")).contains(1.0);
    }

    @Test
    void refusesVerdictsThatDoNotAddUp() {
        assertThat(GroundednessJudge.parse("{\"sentences\": 2, \"supported\": 3}")).isEmpty();
        assertThat(GroundednessJudge.parse("{\"sentences\": 0, \"supported\": 0}")).isEmpty();
        assertThat(GroundednessJudge.parse("all good")).isEmpty();
    }

    @Test
    void thePromptIsTheVersionedResourceFilledWithNumberedPassages() {
        GroundednessJudge judge = new GroundednessJudge(URI.create("http://127.0.0.1:9/v1"), "k", "m");
        String prompt = judge.prompt("Why?", List.of("first passage", "second passage"), "Because. [1]");
        assertThat(prompt).startsWith("You check whether an answer is supported")
                .contains("[1] first passage\n\n[2] second passage").contains("Question:\nWhy?")
                .contains("Answer:\nBecause. [1]").doesNotContain("{passages}");
        assertThat(GroundednessJudge.PROMPT).endsWith("-v1.st");
    }

    @Test
    void agreementCountsBothFullyGroundedOrBothNot() {
        var agreement = GroundednessJudge.Agreement.of(List.of(new double[]{1.0, 1.0}, new double[]{1.0, 0.5},
                new double[]{0.5, 0.0}, new double[]{0.0, 0.0}));
        assertThat(agreement.pairs()).isEqualTo(4);
        assertThat(agreement.agreement()).isEqualTo(0.75);
        assertThat(agreement.meanAbsoluteDifference()).isEqualTo(0.25);
        assertThat(GroundednessJudge.Agreement.of(List.of()).agreement()).isNull();
    }
}
