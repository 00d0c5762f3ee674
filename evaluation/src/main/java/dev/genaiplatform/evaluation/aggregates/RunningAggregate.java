package dev.genaiplatform.evaluation.aggregates;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.evaluation.aggregates.AggregateSnapshot.Percentiles;
import org.HdrHistogram.Histogram;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Totals and latency histograms of one (tenant, model) pair. Listener threads add events while HTTP
 * threads take snapshots; one monitor guards every field so a snapshot is consistent. The critical
 * sections are short and never block, so the lock costs little even with virtual threads.
 */
final class RunningAggregate {

    /** Two significant digits: values within 1%, about 15 KB per histogram up to ten minutes. */
    private static final int SIGNIFICANT_DIGITS = 2;

    private final String tenantId;
    private final String model;
    private final long highestTrackableMillis;
    private final Histogram latencyMillis;
    private final Histogram timeToFirstTokenMillis;
    private final long[] outcomes = new long[Outcome.values().length];
    private final long[] verdicts = new long[Verdict.values().length];
    private long requests;
    private long streamedRequests;
    private long promptTokens;
    private long completionTokens;

    RunningAggregate(String tenantId, String model, long highestTrackableMillis) {
        this.tenantId = tenantId;
        this.model = model;
        this.highestTrackableMillis = highestTrackableMillis;
        this.latencyMillis = new Histogram(highestTrackableMillis, SIGNIFICANT_DIGITS);
        this.timeToFirstTokenMillis = new Histogram(highestTrackableMillis, SIGNIFICANT_DIGITS);
    }

    synchronized void add(ChatCompletionRecordedEvent event) {
        requests++;
        outcomes[event.outcome().ordinal()]++;
        if (event.guardrailVerdict() != null) {
            verdicts[event.guardrailVerdict().ordinal()]++;
        }
        if (event.streamed()) {
            streamedRequests++;
        }
        promptTokens += event.promptTokens();
        completionTokens += event.completionTokens();
        latencyMillis.recordValue(capped(event.latencyMillis()));
        if (event.timeToFirstTokenMillis() != null) {
            timeToFirstTokenMillis.recordValue(capped(event.timeToFirstTokenMillis()));
        }
    }

    synchronized AggregateSnapshot snapshot() {
        Map<Outcome, Long> outcomeCounts = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            outcomeCounts.put(outcome, outcomes[outcome.ordinal()]);
        }
        Map<Verdict, Long> verdictCounts = new EnumMap<>(Verdict.class);
        for (Verdict verdict : Verdict.values()) {
            verdictCounts.put(verdict, verdicts[verdict.ordinal()]);
        }
        long refusals = outcomes[Outcome.REFUSED_BY_GUARDRAILS.ordinal()] + outcomes[Outcome.NO_ANSWER.ordinal()];
        return new AggregateSnapshot(tenantId, model, requests,
                Collections.unmodifiableMap(outcomeCounts), refusals,
                streamedRequests, requests - streamedRequests,
                promptTokens, completionTokens,
                percentiles(latencyMillis), percentiles(timeToFirstTokenMillis),
                Collections.unmodifiableMap(verdictCounts));
    }

    private long capped(long millis) {
        return Math.min(millis, highestTrackableMillis);
    }

    private static Percentiles percentiles(Histogram histogram) {
        long samples = histogram.getTotalCount();
        if (samples == 0) {
            return new Percentiles(0, null, null, null, null);
        }
        return new Percentiles(samples,
                histogram.getValueAtPercentile(50),
                histogram.getValueAtPercentile(95),
                histogram.getValueAtPercentile(99),
                histogram.getMaxValue());
    }
}
