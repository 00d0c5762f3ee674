package dev.genaiplatform.evaluation.scoring;

/**
 * Intervals and tests for rates (thumbs-up share, answered share): Wilson's score interval, which stays inside
 * [0, 1] and behaves with few samples, and the two-proportion z-test with a pooled variance. The z-test assumes
 * independent samples of a reasonable size (each arm with at least about 5 successes and 5 failures); below
 * that its p-value is optimistic.
 */
public final class Proportions {

    private static final double Z95 = 1.959964;

    private Proportions() {
    }

    /** 95% Wilson interval of k successes in n; [0, 1] when n is 0. */
    public static double[] wilson(long k, long n) {
        if (n == 0) {
            return new double[]{0, 1};
        }
        double p = (double) k / n;
        double z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new double[]{Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    /** Two-sided p-value that k1/n1 and k2/n2 come from the same rate; 1 when either arm is empty. */
    public static double twoProportionP(long k1, long n1, long k2, long n2) {
        if (n1 == 0 || n2 == 0) {
            return 1;
        }
        double pooled = (double) (k1 + k2) / (n1 + n2);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        if (se == 0) {
            return 1;
        }
        double z = ((double) k1 / n1 - (double) k2 / n2) / se;
        return 2 * (1 - standardNormalCdf(Math.abs(z)));
    }

    /** Φ(x) from the error function (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7). */
    static double standardNormalCdf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.sqrt(2));
        double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                + t * 1.061405429)))) * Math.exp(-x * x / 2);
        return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }
}
