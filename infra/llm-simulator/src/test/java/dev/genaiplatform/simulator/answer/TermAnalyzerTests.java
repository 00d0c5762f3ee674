package dev.genaiplatform.simulator.answer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TermAnalyzerTests {

    private final TermAnalyzer analyzer = TermAnalyzer.english();

    @Test
    void dropsStopWordsAndLowerCases() {
        assertThat(analyzer.terms("How does the Gateway limit request rates?"))
                .containsExactly("gateway", "limit", "request", "rate");
    }

    @Test
    void stemsInflectionsToOneTerm() {
        assertThat(analyzer.terms("rank ranks ranked ranking")).containsOnly("rank");
        assertThat(analyzer.terms("retrieve retrieves retrieved")).containsOnly("retriev");
        assertThat(analyzer.terms("embedding embeddings embedded")).containsOnly("embed");
        assertThat(analyzer.terms("policies policy")).containsOnly("policy");
    }

    @Test
    void leavesWordsThatOnlyLookInflectedAlone() {
        assertThat(analyzer.terms("status process analysis")).containsExactly("status", "process", "analysis");
    }
}
