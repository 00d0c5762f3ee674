package dev.genaiplatform.evaluation.gate;

import dev.genaiplatform.evaluation.runs.CaseResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RegressionGateTests {

    private static final int CASES = 12;

    @Test
    void theSameAnswersPass() {
        GateReport report = RegressionGate.compare(baseline(0.8), results(i -> 0.8), 0.05, 2000);
        assertThat(report.passed()).isTrue();
        assertThat(report.meanDelta()).isZero();
        assertThat(report.worse()).isEmpty();
    }

    @Test
    void aBroadDropBeyondTheMarginFailsAndListsTheWorseCasesWorstFirst() {
        GateReport report = RegressionGate.compare(baseline(0.8), results(i -> i < 9 ? 0.8 - 0.05 * (i + 2) : 0.8),
                0.05, 2000);
        assertThat(report.passed()).isFalse();
        assertThat(report.verdict()).startsWith("FAIL");
        assertThat(report.deltaHigh()).isNegative();
        assertThat(report.worse()).hasSize(9).first().satisfies(c -> {
            assertThat(c.caseId()).isEqualTo("case-8");
            assertThat(c.why()).containsExactly("note for case-8");
            assertThat(c.answerThen()).isEqualTo("baseline answer case-8");
        });
        assertThat(report.signTestP()).isLessThan(0.01);
    }

    @Test
    void aSmallDropWithinTheMarginPasses() {
        GateReport report = RegressionGate.compare(baseline(0.8), results(i -> 0.78), 0.05, 2000);
        assertThat(report.passed()).isTrue();
        assertThat(report.meanDelta()).isCloseTo(-0.02, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void aSingleCollapsedCaseBeyondTheMarginIsNotSignificantAndPasses() {
        // one case falls from 0.8 to 0: mean drop 0.067 > margin, but the interval of the change includes 0
        GateReport report = RegressionGate.compare(baseline(0.8), results(i -> i == 0 ? 0.0 : 0.8), 0.05, 2000);
        assertThat(report.meanDelta()).isLessThan(-0.05);
        assertThat(report.passed()).isTrue();
        assertThat(report.verdict()).contains("not significant");
        assertThat(report.worse()).singleElement().satisfies(c -> assertThat(c.caseId()).isEqualTo("case-0"));
    }

    @Test
    void casesOnlyOnOneSideAreReportedNotCompared() {
        List<CaseResult> results = new ArrayList<>(results(i -> 0.8).subList(1, CASES));
        results.add(result("new-case", 1.0));
        GateReport report = RegressionGate.compare(baseline(0.8), results, 0.05, 2000);
        assertThat(report.missing()).containsExactlyInAnyOrder("case-0 (in the baseline, not in this run)",
                "new-case (in this run, not in the baseline)");
        assertThat(report.passed()).isTrue();
    }

    private static Baseline baseline(double quality) {
        Map<String, Baseline.CaseBaseline> cases = new LinkedHashMap<>();
        for (int i = 0; i < CASES; i++) {
            cases.put("case-" + i, new Baseline.CaseBaseline(quality, "baseline answer case-" + i, List.of()));
        }
        return new Baseline("set", 1, "sim-small", "", Instant.EPOCH, quality, cases);
    }

    private static List<CaseResult> results(java.util.function.IntToDoubleFunction quality) {
        List<CaseResult> results = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            results.add(result("case-" + i, quality.applyAsDouble(i)));
        }
        return results;
    }

    private static CaseResult result(String id, double quality) {
        return new CaseResult(id, "answer", 0, 200, "c", false, true, quality, 1.0, 1.0, 1.0, null, quality, 10,
                100, 10, 0.0, "answer " + id, List.of(), List.of("note for " + id), null);
    }
}
