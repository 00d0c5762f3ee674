package dev.genaiplatform.evaluation.scoring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TokenF1Tests {

    @Test
    void identicalTextsScoreOne() {
        assertThat(TokenF1.score("Retrieval fuses BM25 and vectors.", "retrieval fuses bm25 and vectors")).isEqualTo(1.0);
    }

    @Test
    void partialOverlapIsTheHarmonicMeanOfPrecisionAndRecall() {
        // answer words: cat, sat (articles dropped); reference: cat, sat, on, mat → P = 2/2, R = 2/4, F1 = 2/3
        assertThat(TokenF1.score("The cat sat.", "A cat sat on the mat.")).isCloseTo(2.0 / 3, within(1e-9));
    }

    @Test
    void repeatedWordsCountOnlyAsOftenAsTheReferenceHasThem() {
        // answer: kafka ×3; reference: kafka ×1, topics → common 1, P = 1/3, R = 1/2, F1 = 0.4
        assertThat(TokenF1.score("kafka kafka kafka", "kafka topics")).isCloseTo(0.4, within(1e-9));
    }

    @Test
    void citationMarkersAndCaseDoNotCount() {
        assertThat(TokenF1.score("Keys are HASHED [1].", "keys are hashed")).isEqualTo(1.0);
    }

    @Test
    void disjointOrEmptyTextsScoreZero() {
        assertThat(TokenF1.score("Paris is lovely", "keys are hashed")).isZero();
        assertThat(TokenF1.score("", "keys are hashed")).isZero();
        assertThat(TokenF1.score(null, "keys")).isZero();
    }
}
