package dev.genaiplatform.evaluation.scoring;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap confidence intervals for a mean: resample the per-case values with replacement many
 * times, take the mean of each resample, and read the 2.5th and 97.5th percentiles. Resampling cases (not
 * repetitions) because the cases are the sample of the questions users ask. Seeded, so a report is
 * reproducible. With few cases (under about 20) the interval is too narrow: it cannot see questions the set
 * does not contain.
 */
public final class Bootstrap {

    /** Fixed seed: the same values always give the same interval. */
    static final long SEED = 20261206L;

    private Bootstrap() {
    }

    /** Mean with its 95% interval; null when there is no value. */
    public static Estimate mean(double[] values, int resamples) {
        if (values.length == 0) {
            return null;
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        if (values.length == 1) {
            return new Estimate(mean, mean, mean, 1);
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < values.length; i++) {
                sum += values[random.nextInt(values.length)];
            }
            means[r] = sum / values.length;
        }
        Arrays.sort(means);
        return new Estimate(mean, means[(int) Math.floor(0.025 * (resamples - 1))],
                means[(int) Math.ceil(0.975 * (resamples - 1))], values.length);
    }

    /**
     * The difference of two independent means (b − a), with a 95% interval from resampling each group on its own:
     * for comparing the cost per request of two experiment arms. Null when a group is empty.
     */
    public static Estimate differenceOfMeans(double[] a, double[] b, int resamples) {
        if (a.length == 0 || b.length == 0) {
            return null;
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[] differences = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            differences[r] = resampledMean(b, random) - resampledMean(a, random);
        }
        Arrays.sort(differences);
        double observed = Arrays.stream(b).average().orElseThrow() - Arrays.stream(a).average().orElseThrow();
        return new Estimate(observed, differences[(int) Math.floor(0.025 * (resamples - 1))],
                differences[(int) Math.ceil(0.975 * (resamples - 1))], a.length + b.length);
    }

    private static double resampledMean(double[] values, SplittableRandom random) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[random.nextInt(values.length)];
        }
        return sum / values.length;
    }

    /**
     * A mean and its 95% bootstrap interval.
     *
     * @param mean  the observed mean
     * @param low   2.5th percentile of the resampled means
     * @param high  97.5th percentile
     * @param n     how many values
     */
    public record Estimate(double mean, double low, double high, int n) {
    }
}
