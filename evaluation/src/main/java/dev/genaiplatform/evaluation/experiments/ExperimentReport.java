package dev.genaiplatform.evaluation.experiments;

import java.util.List;

/**
 * Per-arm quality and cost of one experiment, from the stored completion events (which carry
 * {@code provenance.experimentArm = "<experiment>:<arm>"}) and the feedback on them.
 *
 * @param experiment  the experiment name
 * @param control     the arm the others are compared with (the first in name order)
 * @param arms        one row per arm
 * @param comparisons each other arm against the control
 * @param sampleRatio the sample-ratio-mismatch check against the configured shares, when they were given
 */
public record ExperimentReport(String experiment, String control, List<Arm> arms, List<Comparison> comparisons,
                               SampleRatio sampleRatio) {

    /**
     * Do the requests per arm fit the shares the assignment was configured with?
     *
     * @param expectedBasisPoints arm → configured share (sums to 10,000)
     * @param observed            arm → requests recorded
     * @param chiSquare           Pearson's statistic
     * @param pValue              its p-value
     * @param mismatch            p below 0.001: the assignment or the logging is broken; do not trust the comparisons
     */
    public record SampleRatio(java.util.Map<String, Integer> expectedBasisPoints, java.util.Map<String, Long> observed,
                              double chiSquare, double pValue, boolean mismatch) {
    }

    /**
     * @param arm               arm name
     * @param requests          completion events
     * @param answered          events with outcome ANSWERED (the online check: cited, not refused, not failed)
     * @param answeredRate      answered / requests, with its 95% Wilson interval
     * @param answeredLow       lower bound
     * @param answeredHigh      upper bound
     * @param feedback          verdicts given
     * @param thumbsUp          of which up
     * @param positiveRate      up / feedback, with its 95% Wilson interval (null without feedback)
     * @param positiveLow       lower bound
     * @param positiveHigh      upper bound
     * @param meanCostUsd       mean cost per request over the events that carry a cost, with a bootstrap interval
     * @param costLow           lower bound
     * @param costHigh          upper bound
     */
    public record Arm(String arm, long requests, long answered, double answeredRate, double answeredLow,
                      double answeredHigh, long feedback, long thumbsUp, Double positiveRate, double positiveLow,
                      double positiveHigh, Double meanCostUsd, Double costLow, Double costHigh) {
    }

    /**
     * @param arm                the arm compared with the control
     * @param positiveRateDelta  arm minus control, thumbs-up share
     * @param positiveRateP      two-proportion z-test p-value
     * @param answeredRateDelta  arm minus control, answered share
     * @param answeredRateP      two-proportion z-test p-value
     * @param costDeltaUsd       arm minus control, mean cost per request
     * @param costDeltaLow       95% bootstrap interval of that difference
     * @param costDeltaHigh      upper bound
     * @param verdict            a sentence: which differences are significant at 5%, and a warning when the
     *                           samples are too small for the test
     */
    public record Comparison(String arm, Double positiveRateDelta, double positiveRateP, double answeredRateDelta,
                             double answeredRateP, Double costDeltaUsd, Double costDeltaLow, Double costDeltaHigh,
                             String verdict) {
    }
}
