package dev.genaiplatform.evaluation.scoring;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CitationScoreTests {

    private static final List<List<String>> RANKING = List.of(List.of("architecture.md", "walkthroughs/rag.md"));

    @Test
    void anAlternativePathSatisfiesARequiredSourceAndAnExtraDocumentHalvesPrecision() {
        CitationScore score = CitationScore.of(List.of("walkthroughs/rag.md", "README.md"), RANKING);
        assertThat(score.recall()).isEqualTo(1.0);
        assertThat(score.precision()).isEqualTo(0.5);
    }

    @Test
    void citingTheSameDocumentTwiceCountsItOnce() {
        CitationScore score = CitationScore.of(List.of("architecture.md", "architecture.md"), RANKING);
        assertThat(score.precision()).isEqualTo(1.0);
        assertThat(score.recall()).isEqualTo(1.0);
    }

    @Test
    void recallIsTheShareOfRequiredSourcesCited() {
        List<List<String>> two = List.of(List.of("a.md"), List.of("b.md"));
        assertThat(CitationScore.of(List.of("a.md"), two).recall()).isEqualTo(0.5);
    }

    @Test
    void citingNothingHasNoPrecisionAndZeroRecall() {
        CitationScore score = CitationScore.of(List.of(), RANKING);
        assertThat(score.precision()).isNull();
        assertThat(score.recall()).isZero();
    }
}
