package dev.genaiplatform.evaluation.scoring;

/**
 * The exact two-sided sign test on paired outcomes: of the cases that changed, did more get worse than chance
 * (a fair coin) would explain? Ties are dropped. It ignores how much each case changed, which makes it robust
 * to a few large swings and weak with few changed cases (with 5 changes, even 5 of 5 worse gives p = 0.0625).
 */
public final class SignTest {

    private SignTest() {
    }

    /** Two-sided p-value for {@code worse} losses and {@code better} wins. */
    public static double pValue(int worse, int better) {
        int n = worse + better;
        if (n == 0) {
            return 1.0;
        }
        int k = Math.min(worse, better);
        double tail = 0;
        for (int i = 0; i <= k; i++) {
            tail += binomial(n, i);
        }
        return Math.min(1.0, 2 * tail / Math.pow(2, n));
    }

    private static double binomial(int n, int k) {
        double result = 1;
        for (int i = 1; i <= k; i++) {
            result = result * (n - k + i) / i;
        }
        return result;
    }
}
