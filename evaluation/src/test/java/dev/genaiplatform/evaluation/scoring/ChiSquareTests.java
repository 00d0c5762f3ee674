package dev.genaiplatform.evaluation.scoring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ChiSquareTests {

    @Test
    void pValuesMatchTheTables() {
        // textbook critical values: 3.841 (1 dof), 5.991 (2 dof), 10.828 (1 dof, p = 0.001)
        assertThat(ChiSquare.pValue(3.841459, 1)).isCloseTo(0.05, within(1e-6));
        assertThat(ChiSquare.pValue(5.991465, 2)).isCloseTo(0.05, within(1e-6));
        assertThat(ChiSquare.pValue(10.827566, 1)).isCloseTo(0.001, within(1e-7));
        assertThat(ChiSquare.pValue(0.5, 3)).isCloseTo(0.918891, within(1e-6));
    }

    @Test
    void aFairSplitFitsAndABrokenOneDoesNot() {
        // 5,050 vs 4,950 on a 50/50 split: statistic 1.0, p = 0.317
        assertThat(ChiSquare.statistic(new long[]{5050, 4950}, new double[]{0.5, 0.5})).isCloseTo(1.0, within(1e-12));
        assertThat(ChiSquare.pValue(1.0, 1)).isCloseTo(0.317311, within(1e-6));
        // 9,300 vs 700 on a 90/10 split: a sample-ratio mismatch
        double broken = ChiSquare.statistic(new long[]{9300, 700}, new double[]{0.9, 0.1});
        assertThat(ChiSquare.pValue(broken, 1)).isLessThan(1e-10);
    }
}
