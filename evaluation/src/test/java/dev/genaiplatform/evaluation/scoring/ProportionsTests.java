package dev.genaiplatform.evaluation.scoring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ProportionsTests {

    @Test
    void wilsonMatchesTheFormulaByHand() {
        // 30 of 60: centre 0.5, half-width 1.96 × sqrt(0.25/60 + 3.8415/14400) / 1.0640 = 0.1227
        double[] interval = Proportions.wilson(30, 60);
        assertThat(interval[0]).isCloseTo(0.3773, within(1e-3));
        assertThat(interval[1]).isCloseTo(0.6227, within(1e-3));
        // never outside [0, 1], even at 0 of 5
        assertThat(Proportions.wilson(0, 5)[0]).isZero();
        assertThat(Proportions.wilson(0, 0)).containsExactly(0, 1);
    }

    @Test
    void twoProportionTestMatchesATextbookValue() {
        // 30/60 vs 54/60: pooled 0.7, se = sqrt(0.21 × 2/60) = 0.08367, z = 4.78, p ≈ 1.7e-6
        assertThat(Proportions.twoProportionP(54, 60, 30, 60)).isLessThan(1e-5);
        // 50/100 vs 55/100: z = 0.707, p = 0.48
        assertThat(Proportions.twoProportionP(55, 100, 50, 100)).isCloseTo(0.4795, within(2e-3));
        assertThat(Proportions.twoProportionP(1, 0, 1, 1)).isEqualTo(1.0);
    }

    @Test
    void normalCdfIsAccurate() {
        assertThat(Proportions.standardNormalCdf(1.959964)).isCloseTo(0.975, within(1e-6));
        assertThat(Proportions.standardNormalCdf(0)).isCloseTo(0.5, within(1e-7));
        assertThat(Proportions.standardNormalCdf(-1)).isCloseTo(0.158655, within(1e-6));
    }
}
