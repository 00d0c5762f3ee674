package dev.genaiplatform.evaluation.gate;

import dev.genaiplatform.evaluation.runs.CaseResult;
import dev.genaiplatform.evaluation.runs.RunSummary;
import dev.genaiplatform.evaluation.scoring.Bootstrap;
import dev.genaiplatform.evaluation.scoring.SignTest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Compares a run with its baseline, case by case (paired: the same question answered before and after). It
 * fails when both hold:
 * <ol>
 *   <li>the mean quality dropped by more than the margin, and</li>
 *   <li>the drop is significant: the 95% paired-bootstrap interval of the per-case differences lies wholly
 *       below zero.</li>
 * </ol>
 * The margin keeps noise and deliberate small trade-offs from failing a build; the significance test keeps one
 * unlucky question from doing so. The sign test is reported next to it as a second opinion that ignores effect
 * sizes. Cases that changed by more than {@link #CASE_CHANGE} are listed with the answers before and after.
 */
public final class RegressionGate {

    /** A case counts as changed when its quality moved by more than this. */
    static final double CASE_CHANGE = 0.05;

    private RegressionGate() {
    }

    public static GateReport compare(Baseline baseline, List<CaseResult> results, double margin, int resamples) {
        Map<String, Double> current = RunSummary.perCaseMeans(results, CaseResult::quality);
        List<String> missing = new ArrayList<>();
        baseline.cases().keySet().stream().filter(id -> !current.containsKey(id))
                .forEach(id -> missing.add(id + " (in the baseline, not in this run)"));
        current.keySet().stream().filter(id -> !baseline.cases().containsKey(id))
                .forEach(id -> missing.add(id + " (in this run, not in the baseline)"));

        List<String> paired = current.keySet().stream().filter(baseline.cases()::containsKey).toList();
        double[] deltas = paired.stream()
                .mapToDouble(id -> current.get(id) - baseline.cases().get(id).quality()).toArray();
        double baselineMean = paired.stream().mapToDouble(id -> baseline.cases().get(id).quality()).average().orElse(0);
        double currentMean = paired.stream().mapToDouble(current::get).average().orElse(0);
        Bootstrap.Estimate delta = deltas.length == 0 ? new Bootstrap.Estimate(0, 0, 0, 0)
                : Bootstrap.mean(deltas, resamples);

        List<GateReport.CaseChange> worse = new ArrayList<>();
        List<GateReport.CaseChange> better = new ArrayList<>();
        for (String id : paired) {
            double then = baseline.cases().get(id).quality();
            double now = current.get(id);
            if (Math.abs(now - then) <= CASE_CHANGE) {
                continue;
            }
            CaseResult first = results.stream().filter(r -> r.caseId().equals(id)).findFirst().orElseThrow();
            var change = new GateReport.CaseChange(id, then, now, baseline.cases().get(id).answer(), first.answer(),
                    first.notes());
            (now < then ? worse : better).add(change);
        }
        worse.sort(Comparator.comparingDouble(c -> c.current() - c.baseline()));
        better.sort(Comparator.comparingDouble(c -> c.baseline() - c.current()));
        double signP = SignTest.pValue(worse.size(), better.size());

        boolean beyondMargin = delta.mean() < -margin;
        boolean significant = delta.high() < 0;
        boolean passed = !(beyondMargin && significant);
        String verdict = passed
                ? (beyondMargin ? "PASS: quality fell by %.3f, beyond the margin %.3f, but the drop is not significant (95%% interval of the change [%.3f, %.3f] includes 0)"
                        .formatted(-delta.mean(), margin, delta.low(), delta.high())
                        : "PASS: quality changed by %+.3f (95%% interval [%.3f, %.3f]), within the margin %.3f"
                        .formatted(delta.mean(), delta.low(), delta.high(), margin))
                : "FAIL: quality fell by %.3f (95%% interval of the change [%.3f, %.3f], wholly below 0), beyond the margin %.3f; %d case(s) worse, %d better"
                .formatted(-delta.mean(), delta.low(), delta.high(), margin, worse.size(), better.size());
        return new GateReport(passed, verdict, baselineMean, currentMean, delta.mean(), delta.low(), delta.high(),
                margin, List.copyOf(worse), List.copyOf(better), signP, List.copyOf(missing));
    }
}
