package dev.genaiplatform.evaluation.experiments;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.evaluation.api.ApiException;
import dev.genaiplatform.evaluation.scoring.Bootstrap;
import dev.genaiplatform.evaluation.scoring.ChiSquare;
import dev.genaiplatform.evaluation.scoring.Proportions;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds an {@link ExperimentReport} from PostgreSQL. Significance at 5%, two-sided, each comparison on its
 * own (no correction for several arms or for peeking at a running experiment: decide the sample size first,
 * then read the verdict once).
 */
public class ExperimentReports {

    /** Per arm, below this many feedback verdicts or requests the verdict says the sample is too small. */
    static final int MIN_SAMPLE = 30;
    /** The latest events per arm used for the cost interval. */
    static final int COST_SAMPLE = 20_000;

    private final JdbcClient jdbc;
    private final int resamples;

    public ExperimentReports(JdbcClient jdbc, int resamples) {
        this.jdbc = jdbc;
        this.resamples = resamples;
    }

    /**
     * @param shares the configured arm shares in basis points ({@code A:9000,B:1000}) for the sample-ratio check,
     *               or null to skip it
     */
    public ExperimentReport report(String tenant, String experiment, String shares) {
        String prefix = experiment + ":";
        List<ArmCounts> counts = jdbc.sql("""
                        select e.experiment_arm as arm, count(*) as requests,
                            count(*) filter (where e.outcome = 'ANSWERED') as answered,
                            (select count(*) from feedback f where f.tenant_id = e.tenant_id
                                and f.experiment_arm = e.experiment_arm) as feedback,
                            (select count(*) from feedback f where f.tenant_id = e.tenant_id
                                and f.experiment_arm = e.experiment_arm and f.rating > 0) as up
                        from completion_event e
                        where e.tenant_id = ? and starts_with(e.experiment_arm, ?)
                        group by e.tenant_id, e.experiment_arm order by e.experiment_arm""")
                .params(tenant, prefix)
                .query((rs, n) -> new ArmCounts(rs.getString("arm").substring(prefix.length()), rs.getString("arm"),
                        rs.getLong("requests"), rs.getLong("answered"), rs.getLong("feedback"), rs.getLong("up")))
                .list();
        if (counts.isEmpty()) {
            throw new ApiException(ProblemType.NOT_FOUND, "no completion of your tenant was recorded in experiment '"
                    + experiment + "' (events carry provenance.experimentArm = '" + prefix + "<arm>')");
        }
        List<ExperimentReport.Arm> arms = new ArrayList<>();
        List<double[]> costs = new ArrayList<>();
        for (ArmCounts arm : counts) {
            double[] cost = jdbc.sql("""
                            select cost_usd from completion_event where tenant_id = ? and experiment_arm = ?
                            and cost_usd is not null order by occurred_at desc limit ?""")
                    .params(tenant, arm.label(), COST_SAMPLE).query(Double.class).list().stream()
                    .mapToDouble(Double::doubleValue).toArray();
            costs.add(cost);
            double[] answered = Proportions.wilson(arm.answered(), arm.requests());
            double[] positive = Proportions.wilson(arm.up(), arm.feedback());
            Bootstrap.Estimate meanCost = Bootstrap.mean(cost, resamples);
            arms.add(new ExperimentReport.Arm(arm.arm(), arm.requests(), arm.answered(),
                    (double) arm.answered() / arm.requests(), answered[0], answered[1], arm.feedback(), arm.up(),
                    arm.feedback() == 0 ? null : (double) arm.up() / arm.feedback(), positive[0], positive[1],
                    meanCost == null ? null : meanCost.mean(), meanCost == null ? null : meanCost.low(),
                    meanCost == null ? null : meanCost.high()));
        }
        ArmCounts control = counts.getFirst();
        List<ExperimentReport.Comparison> comparisons = new ArrayList<>();
        for (int i = 1; i < counts.size(); i++) {
            comparisons.add(compare(control, counts.get(i), costs.getFirst(), costs.get(i)));
        }
        return new ExperimentReport(experiment, control.arm(), arms, comparisons,
                shares == null || shares.isBlank() ? null : sampleRatio(counts, shares));
    }

    private static ExperimentReport.SampleRatio sampleRatio(List<ArmCounts> counts, String shares) {
        java.util.Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        try {
            for (String part : shares.split(",")) {
                String[] armShare = part.trim().split(":");
                expected.put(armShare[0], Integer.parseInt(armShare[1]));
            }
        } catch (RuntimeException e) {
            throw new ApiException(ProblemType.INVALID_VALUE, "'shares' is arm:basisPoints,... e.g. A:9000,B:1000");
        }
        if (expected.values().stream().mapToInt(Integer::intValue).sum() != 10_000
                || expected.values().stream().anyMatch(v -> v < 0)) {
            throw new ApiException(ProblemType.INVALID_VALUE, "'shares' must be non-negative and sum to 10000 basis points");
        }
        java.util.Map<String, Long> observed = new java.util.LinkedHashMap<>();
        expected.keySet().forEach(arm -> observed.put(arm, 0L));
        for (ArmCounts arm : counts) {
            if (!expected.containsKey(arm.arm())) {
                throw new ApiException(ProblemType.INVALID_VALUE, "'shares' does not name arm '" + arm.arm()
                        + "', which has events");
            }
            observed.put(arm.arm(), arm.requests());
        }
        long[] observedCounts = observed.values().stream().mapToLong(Long::longValue).toArray();
        double[] expectedShares = expected.values().stream().mapToDouble(v -> v / 10_000.0).toArray();
        double statistic = ChiSquare.statistic(observedCounts, expectedShares);
        double p = ChiSquare.pValue(statistic, expected.size() - 1);
        return new ExperimentReport.SampleRatio(expected, observed, statistic, p, p < 0.001);
    }

    private ExperimentReport.Comparison compare(ArmCounts control, ArmCounts arm, double[] controlCost, double[] armCost) {
        Double positiveDelta = control.feedback() == 0 || arm.feedback() == 0 ? null
                : (double) arm.up() / arm.feedback() - (double) control.up() / control.feedback();
        double positiveP = Proportions.twoProportionP(arm.up(), arm.feedback(), control.up(), control.feedback());
        double answeredDelta = (double) arm.answered() / arm.requests() - (double) control.answered() / control.requests();
        double answeredP = Proportions.twoProportionP(arm.answered(), arm.requests(), control.answered(), control.requests());
        Bootstrap.Estimate cost = Bootstrap.differenceOfMeans(controlCost, armCost, resamples);

        List<String> findings = new ArrayList<>();
        if (positiveDelta != null && positiveP < 0.05) {
            findings.add("thumbs-up share %+.1f points (p=%.3f)".formatted(100 * positiveDelta, positiveP));
        }
        if (answeredP < 0.05) {
            findings.add("answered share %+.1f points (p=%.3f)".formatted(100 * answeredDelta, answeredP));
        }
        if (cost != null && (cost.low() > 0 || cost.high() < 0)) {
            findings.add("cost per request %+.6f USD (95%% CI [%.6f, %.6f])".formatted(cost.mean(), cost.low(), cost.high()));
        }
        String verdict = findings.isEmpty()
                ? "no significant difference from " + control.arm() + " at 5%"
                : "significantly different from " + control.arm() + ": " + String.join("; ", findings);
        if (Math.min(arm.feedback(), control.feedback()) < MIN_SAMPLE || Math.min(arm.requests(), control.requests()) < MIN_SAMPLE) {
            verdict += " (small sample: fewer than " + MIN_SAMPLE + " requests or verdicts in an arm, the tests are unreliable)";
        }
        return new ExperimentReport.Comparison(arm.arm(), positiveDelta, positiveP, answeredDelta, answeredP,
                cost == null ? null : cost.mean(), cost == null ? null : cost.low(), cost == null ? null : cost.high(),
                verdict);
    }

    private record ArmCounts(String arm, String label, long requests, long answered, long feedback, long up) {
    }
}
