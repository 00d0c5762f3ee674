package dev.genaiplatform.evaluation.safety;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Set;

/**
 * Stored guardrail verdicts as Prometheus counters, moved only by the first store of an event. Labelled by OWASP
 * category, stage and verdict and deliberately not by tenant: the per-tenant view is the authenticated
 * {@code /api/evaluation/safety-rates}, and the attack mix of a named customer is not something to leave on a
 * scrape endpoint. Label values come from closed sets, so a strange stage on the wire cannot add series.
 */
final class SafetyMeters {

    static final Set<String> STAGES = Set.of("input", "check-api", "answer", "retrieved-chunk", "tool-result");

    private final MeterRegistry registry;

    SafetyMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String stage, String verdict, List<String> categories) {
        String stageLabel = STAGES.contains(stage) ? stage : OwaspCategories.OTHER;
        Counter.builder("platform.evaluation.guardrail.verdicts")
                .description("Guardrail verdicts stored, one per check")
                .tag("stage", stageLabel).tag("verdict", verdict)
                .register(registry).increment();
        for (String category : categories.isEmpty() ? List.of(OwaspCategories.NONE) : categories) {
            Counter.builder("platform.evaluation.owasp.verdicts")
                    .description("Guardrail verdicts per OWASP LLM Top 10 (2025) category they were labelled with")
                    .tag("owasp_category", category).tag("stage", stageLabel).tag("verdict", verdict)
                    .register(registry).increment();
        }
    }
}
