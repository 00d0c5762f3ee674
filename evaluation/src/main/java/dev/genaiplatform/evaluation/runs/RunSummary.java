package dev.genaiplatform.evaluation.runs;

import dev.genaiplatform.evaluation.judge.GroundednessJudge;
import dev.genaiplatform.evaluation.scoring.Bootstrap;
import dev.genaiplatform.evaluation.scoring.Bootstrap.Estimate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A run's metrics, each a mean over cases with a 95% bootstrap interval. Repetitions of a case are averaged
 * first, so a case counts once however often it was asked: the interval is about the questions, and
 * repetitions only steady each case's value.
 *
 * @param cases             distinct cases scored
 * @param calls             answers scored (cases × repetitions)
 * @param failures          calls that ended in an error other than a refusal
 * @param quality           the gate's per-case score
 * @param correctness       token F1 against the reference, answer cases
 * @param citationPrecision answer cases that cited something
 * @param citationRecall    answer cases
 * @param groundedness      answer cases with judged sentences
 * @param refusalAccuracy   every case: refused exactly when it should
 * @param falseRefusalRate  answer cases the platform declined
 * @param toolAccuracy      tool-call cases
 * @param latencyMillis     mean client latency per call, with interval; p50/p95 below
 * @param latencyP50Millis  median call latency
 * @param latencyP95Millis  95th percentile call latency
 * @param promptTokens      mean per call
 * @param completionTokens  mean per call
 * @param costUsd           total over all calls, null when the model has no price
 * @param judgeGroundedness the LLM judge's groundedness, when one was configured
 * @param judgeAgreement    how often judge and offline groundedness agree (answers both scored)
 */
public record RunSummary(int cases, int calls, int failures, Estimate quality, Estimate correctness,
                         Estimate citationPrecision, Estimate citationRecall, Estimate groundedness,
                         Estimate refusalAccuracy, Estimate falseRefusalRate, Estimate toolAccuracy,
                         Estimate latencyMillis, long latencyP50Millis, long latencyP95Millis,
                         double promptTokens, double completionTokens, Double costUsd, Estimate judgeGroundedness,
                         GroundednessJudge.Agreement judgeAgreement) {

    public static RunSummary of(List<CaseResult> results, int resamples) {
        Map<String, List<CaseResult>> byCase = new LinkedHashMap<>();
        results.forEach(r -> byCase.computeIfAbsent(r.caseId(), id -> new ArrayList<>()).add(r));
        long[] latencies = results.stream().mapToLong(CaseResult::latencyMillis).sorted().toArray();
        boolean priced = results.stream().allMatch(r -> r.costUsd() != null);
        return new RunSummary(byCase.size(), results.size(),
                (int) results.stream().filter(r -> r.status() != 200 && !r.refused()).count(),
                perCase(byCase, r -> r.quality(), resamples),
                perCase(byCase, CaseResult::correctness, resamples),
                perCase(byCase, CaseResult::citationPrecision, resamples),
                perCase(byCase, CaseResult::citationRecall, resamples),
                perCase(byCase, CaseResult::groundedness, resamples),
                perCase(byCase, r -> r.refusalCorrect() ? 1.0 : 0.0, resamples),
                perCase(byCase, r -> "answer".equals(r.kind()) ? (r.refused() ? 1.0 : 0.0) : null, resamples),
                perCase(byCase, CaseResult::toolCorrect, resamples),
                Bootstrap.mean(results.stream().mapToDouble(CaseResult::latencyMillis).toArray(), resamples),
                percentile(latencies, 0.50), percentile(latencies, 0.95),
                results.stream().mapToInt(CaseResult::promptTokens).average().orElse(0),
                results.stream().mapToInt(CaseResult::completionTokens).average().orElse(0),
                priced ? results.stream().mapToDouble(CaseResult::costUsd).sum() : null,
                perCase(byCase, CaseResult::judgeGroundedness, resamples),
                GroundednessJudge.Agreement.of(results.stream()
                        .filter(r -> r.groundedness() != null && r.judgeGroundedness() != null)
                        .map(r -> new double[]{r.groundedness(), r.judgeGroundedness()}).toList()));
    }

    /** The per-case mean (over repetitions) of a metric, for the cases where it applies. */
    public static Map<String, Double> perCaseMeans(List<CaseResult> results, Function<CaseResult, Double> metric) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (CaseResult result : results) {
            Double value = metric.apply(result);
            if (value != null) {
                values.computeIfAbsent(result.caseId(), id -> new ArrayList<>()).add(value);
            }
        }
        Map<String, Double> means = new LinkedHashMap<>();
        values.forEach((id, list) -> means.put(id, list.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
        return means;
    }

    private static Estimate perCase(Map<String, List<CaseResult>> byCase, Function<CaseResult, Double> metric,
                                    int resamples) {
        double[] values = byCase.values().stream()
                .map(list -> list.stream().map(metric).filter(Objects::nonNull).mapToDouble(Double::doubleValue)
                        .average())
                .filter(java.util.OptionalDouble::isPresent)
                .mapToDouble(java.util.OptionalDouble::getAsDouble)
                .toArray();
        return Bootstrap.mean(values, resamples);
    }

    private static long percentile(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** For callers that need the raw per-case quality values in case order. */
    static double[] values(Map<String, Double> perCase) {
        return perCase.values().stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Override
    public String toString() {
        return "RunSummary" + Arrays.asList(cases, calls, quality);
    }
}
