package dev.genaiplatform.evaluation.gate;

import java.util.List;

/**
 * The gate's verdict and the evidence for it.
 *
 * @param passed         false when quality dropped beyond the margin and the drop is significant
 * @param verdict        one sentence saying why
 * @param baselineMean   mean per-case quality of the baseline, over the compared cases
 * @param currentMean    the run's, over the same cases
 * @param meanDelta      current minus baseline
 * @param deltaLow       2.5th percentile of the paired bootstrap of the delta
 * @param deltaHigh      97.5th percentile
 * @param margin         the tolerated drop
 * @param worse          cases that lost points, worst first
 * @param better         cases that gained
 * @param signTestP      two-sided sign-test p-value over the changed cases
 * @param missing        baseline cases the run did not answer, and run cases the baseline does not know
 */
public record GateReport(boolean passed, String verdict, double baselineMean, double currentMean, double meanDelta,
                         double deltaLow, double deltaHigh, double margin, List<CaseChange> worse,
                         List<CaseChange> better, double signTestP, List<String> missing) {

    /**
     * @param caseId   the case
     * @param baseline its quality in the baseline
     * @param current  its quality now
     * @param answerThen the baseline's answer
     * @param answerNow  the run's answer
     * @param why       what the scorer noted about the run's answer
     */
    public record CaseChange(String caseId, double baseline, double current, String answerThen, String answerNow,
                             List<String> why) {
    }
}
