package dev.genaiplatform.evaluation.cli;

import dev.genaiplatform.evaluation.gate.GateReport;
import dev.genaiplatform.evaluation.runs.CaseResult;
import dev.genaiplatform.evaluation.runs.RunSummary;
import dev.genaiplatform.evaluation.scoring.Bootstrap.Estimate;

import java.util.List;

/** Renders a run and a gate verdict for a person reading a terminal or a CI log. */
final class TextReport {

    private TextReport() {
    }

    static String summary(String set, String model, RunSummary summary) {
        StringBuilder out = new StringBuilder();
        out.append("\nSet %s on %s: %d cases, %d calls, %d failures%n".formatted(set, model, summary.cases(),
                summary.calls(), summary.failures()));
        out.append("  %-20s %8s  %s%n".formatted("metric", "mean", "95% CI (bootstrap over cases)   n"));
        row(out, "quality (gate)", summary.quality());
        row(out, "correctness (F1)", summary.correctness());
        row(out, "citation precision", summary.citationPrecision());
        row(out, "citation recall", summary.citationRecall());
        row(out, "groundedness", summary.groundedness());
        if (summary.judgeGroundedness() != null) {
            row(out, "groundedness (judge)", summary.judgeGroundedness());
            var agreement = summary.judgeAgreement();
            out.append("  %-20s %8.3f  mean |judge - offline| %.3f over %d answers%n".formatted("judge agreement",
                    agreement.agreement(), agreement.meanAbsoluteDifference(), agreement.pairs()));
        }
        row(out, "refusal accuracy", summary.refusalAccuracy());
        row(out, "false refusals", summary.falseRefusalRate());
        row(out, "tool accuracy", summary.toolAccuracy());
        row(out, "latency ms (mean)", summary.latencyMillis());
        out.append("  %-20s %8d / %d ms%n".formatted("latency p50 / p95", summary.latencyP50Millis(),
                summary.latencyP95Millis()));
        out.append("  %-20s %8.0f in, %.0f out per call%n".formatted("tokens", summary.promptTokens(),
                summary.completionTokens()));
        out.append("  %-20s %s%n".formatted("cost (USD, total)", summary.costUsd() == null ? "n/a (no price)"
                : "%.6f".formatted(summary.costUsd())));
        return out.toString();
    }

    static String worstCases(List<CaseResult> results, int limit) {
        StringBuilder out = new StringBuilder("\nLowest-quality answers:\n");
        results.stream().filter(r -> r.repetition() == 0)
                .sorted(java.util.Comparator.comparingDouble(CaseResult::quality)).limit(limit)
                .forEach(r -> out.append("  %-28s q=%.2f %s%n      %s%n".formatted(r.caseId(), r.quality(),
                        r.notes(), oneLine(r.answer()))));
        return out.toString();
    }

    static String gate(GateReport report) {
        StringBuilder out = new StringBuilder("\nRegression gate: ").append(report.verdict()).append('\n');
        out.append("  baseline %.3f -> now %.3f (change %+.3f, 95%% CI [%.3f, %.3f]); sign test p=%.3f%n".formatted(
                report.baselineMean(), report.currentMean(), report.meanDelta(), report.deltaLow(), report.deltaHigh(),
                report.signTestP()));
        if (!report.worse().isEmpty()) {
            out.append("  Worse:\n");
            for (GateReport.CaseChange change : report.worse()) {
                out.append("    %-28s %.2f -> %.2f  %s%n      then: %s%n      now:  %s%n".formatted(change.caseId(),
                        change.baseline(), change.current(), change.why(), oneLine(change.answerThen()),
                        oneLine(change.answerNow())));
            }
        }
        if (!report.better().isEmpty()) {
            out.append("  Better: ");
            report.better().forEach(c -> out.append("%s (%.2f -> %.2f) ".formatted(c.caseId(), c.baseline(), c.current())));
            out.append('\n');
        }
        report.missing().forEach(m -> out.append("  Not compared: ").append(m).append('\n'));
        return out.toString();
    }

    static String scorecard(dev.genaiplatform.evaluation.redteam.Scorecard scorecard) {
        StringBuilder out = new StringBuilder("\nRed team %s on %s%n".formatted(scorecard.suite(), scorecard.model()));
        out.append("  %-6s %-34s %s%n".formatted("id", "category", "defended / probes"));
        for (var row : scorecard.categories()) {
            out.append("  %-6s %-34s %s%n".formatted(row.id(), row.title(), row.probes() == 0
                    ? "not probed: " + oneLine(row.note())
                    : "%d / %d".formatted(row.defended(), row.probes())));
        }
        scorecard.probes().stream().filter(p -> !p.defended()).forEach(p -> out.append(
                "  FINDING %s (%s, expected %s): %s%n      %s%n".formatted(p.id(), p.category(), p.defence(),
                        p.failure(), oneLine(p.answer()))));
        if (scorecard.online() != null) {
            online(out, scorecard);
        } else if (scorecard.onlineNote() != null) {
            out.append("\nOnline verdicts for the same period: not available (%s)%n".formatted(scorecard.onlineNote()));
        }
        return out.toString();
    }

    /**
     * The scorecard's categories next to the guardrails' verdicts of the same tenant and period: offline says
     * whether the defence held, online how often the guardrails acted on that category, probes and any other
     * traffic of the tenant together. Unlabelled verdicts show as {@code none}.
     */
    private static void online(StringBuilder out, dev.genaiplatform.evaluation.redteam.Scorecard scorecard) {
        var summary = scorecard.online();
        out.append("\nOffline and online, %s .. %s (guardrail verdicts of this key's tenant, every stage: %d checks)%n"
                .formatted(summary.from(), summary.to(), summary.checks()));
        out.append("  %-6s %-20s %8s %9s %8s%n".formatted("id", "offline def./probes", "blocked", "redacted", "allowed"));
        var online = new java.util.LinkedHashMap<String, dev.genaiplatform.evaluation.safety.SafetySummary.CategoryCount>();
        summary.categories().forEach(c -> online.put(c.category(), c));
        for (var row : scorecard.categories()) {
            var counts = online.remove(row.id());
            out.append("  %-6s %-20s %8d %9d %8d%n".formatted(row.id(),
                    row.probes() == 0 ? "not probed" : "%d / %d".formatted(row.defended(), row.probes()),
                    counts == null ? 0 : counts.blocked(), counts == null ? 0 : counts.redacted(),
                    counts == null ? 0 : counts.allowed()));
        }
        online.values().forEach(c -> out.append("  %-6s %-20s %8d %9d %8d%n".formatted(c.category(), "-",
                c.blocked(), c.redacted(), c.allowed())));
    }

    private static void row(StringBuilder out, String name, Estimate estimate) {
        if (estimate == null) {
            out.append("  %-20s %8s%n".formatted(name, "n/a"));
        } else {
            out.append("  %-20s %8.3f  [%.3f, %.3f]   %d%n".formatted(name, estimate.mean(), estimate.low(),
                    estimate.high(), estimate.n()));
        }
    }

    private static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        String line = text.replaceAll("\\s+", " ");
        return line.length() <= 160 ? line : line.substring(0, 160) + "...";
    }
}
