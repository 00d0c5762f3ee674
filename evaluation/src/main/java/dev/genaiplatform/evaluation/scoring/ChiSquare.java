package dev.genaiplatform.evaluation.scoring;

/**
 * Pearson's chi-square goodness-of-fit test, for the sample-ratio-mismatch check of an experiment: do the
 * observed counts per arm fit the configured shares? A mismatch (p below 0.001 is the usual alarm) means the
 * assignment or the logging is broken, and no per-arm comparison can be trusted until it is fixed.
 */
public final class ChiSquare {

    private ChiSquare() {
    }

    /** The statistic of observed counts against expected proportions (summing to 1). */
    public static double statistic(long[] observed, double[] expectedShares) {
        long total = 0;
        for (long count : observed) {
            total += count;
        }
        double statistic = 0;
        for (int i = 0; i < observed.length; i++) {
            double expected = total * expectedShares[i];
            if (expected > 0) {
                statistic += (observed[i] - expected) * (observed[i] - expected) / expected;
            }
        }
        return statistic;
    }

    /** Upper-tail p-value of the statistic with the degrees of freedom: Q(dof/2, x/2). */
    public static double pValue(double statistic, int degreesOfFreedom) {
        if (degreesOfFreedom < 1) {
            return 1;
        }
        return upperRegularizedGamma(degreesOfFreedom / 2.0, statistic / 2.0);
    }

    /** Q(a, x) by the series for x < a + 1 and Lentz's continued fraction otherwise (Numerical Recipes 6.2). */
    static double upperRegularizedGamma(double a, double x) {
        if (x <= 0) {
            return 1;
        }
        if (x < a + 1) {
            double sum = 1 / a;
            double term = sum;
            for (int n = 1; n < 500 && Math.abs(term) > Math.abs(sum) * 1e-15; n++) {
                term *= x / (a + n);
                sum += term;
            }
            return 1 - sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
        }
        double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 500; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.abs(d) < tiny ? tiny : d;
            c = b + an / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-15) {
                break;
            }
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }

    /** ln Γ(x), Lanczos approximation (g = 7, n = 9), accurate to about 1e-15 for x > 0. */
    static double logGamma(double x) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61503916999185, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
                1.5056327351493116e-7};
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        x -= 1;
        double sum = c[0];
        for (int i = 1; i < 9; i++) {
            sum += c[i] / (x + i);
        }
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
