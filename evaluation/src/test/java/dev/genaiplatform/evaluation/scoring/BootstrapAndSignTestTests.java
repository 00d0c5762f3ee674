package dev.genaiplatform.evaluation.scoring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BootstrapAndSignTestTests {

    @Test
    void identicalValuesHaveAZeroWidthInterval() {
        Bootstrap.Estimate estimate = Bootstrap.mean(new double[]{0.7, 0.7, 0.7, 0.7}, 1000);
        assertThat(estimate.mean()).isCloseTo(0.7, within(1e-12));
        assertThat(estimate.low()).isCloseTo(0.7, within(1e-12));
        assertThat(estimate.high()).isCloseTo(0.7, within(1e-12));
    }

    @Test
    void theIntervalContainsTheMeanNarrowsWithMoreCasesAndIsReproducible() {
        double[] ten = {0, 1, 0, 1, 1, 0, 1, 1, 0, 1};
        double[] hundred = new double[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = ten[i % 10];
        }
        Bootstrap.Estimate small = Bootstrap.mean(ten, 2000);
        Bootstrap.Estimate large = Bootstrap.mean(hundred, 2000);
        assertThat(small.mean()).isEqualTo(0.6);
        assertThat(small.low()).isLessThan(0.6);
        assertThat(small.high()).isGreaterThan(0.6);
        // the standard error of a 0.6 proportion is 0.155 at n = 10 and 0.049 at n = 100
        assertThat(small.high() - small.low()).isBetween(0.45, 0.7);
        assertThat(large.high() - large.low()).isBetween(0.15, 0.25);
        assertThat(Bootstrap.mean(ten, 2000)).isEqualTo(small);
    }

    @Test
    void noValueHasNoEstimate() {
        assertThat(Bootstrap.mean(new double[0], 1000)).isNull();
    }

    @Test
    void signTestMatchesTheBinomialByHand() {
        // 5 of 5 worse: 2 × (1/2)^5 = 0.0625
        assertThat(SignTest.pValue(5, 0)).isCloseTo(0.0625, within(1e-12));
        // 8 worse, 1 better: 2 × (1 + 9) / 512
        assertThat(SignTest.pValue(8, 1)).isCloseTo(20.0 / 512, within(1e-12));
        assertThat(SignTest.pValue(3, 3)).isEqualTo(1.0);
        assertThat(SignTest.pValue(0, 0)).isEqualTo(1.0);
    }
}
