package dev.genaiplatform.evaluation.events;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.contracts.guardrails.Verdict;

import java.util.Map;

/**
 * The totals of one (tenant, model) pair over every stored completion event, as served by
 * {@code GET /api/evaluation/aggregates}. One SQL statement computes them, so the counts add up: the outcomes
 * sum to {@code requests}, and so do streamed and non-streamed requests.
 *
 * @param tenantId               the tenant that made the requests
 * @param model                  the model name the client asked for
 * @param requests               chat requests recorded (duplicates excluded)
 * @param outcomes               requests per outcome; every outcome is present, zero included
 * @param refusals               requests the user got no answer to by design: {@code REFUSED_BY_GUARDRAILS}
 *                               plus {@code NO_ANSWER}; {@code FAILED} is an error, not a refusal
 * @param streamedRequests       requests answered as server-sent events
 * @param nonStreamedRequests    requests answered in one response
 * @param promptTokens           tokens sent to the model, summed
 * @param completionTokens       tokens the model produced, summed
 * @param latencyMillis          request received to last byte, in milliseconds, over every request
 * @param timeToFirstTokenMillis request received to first answer token, in milliseconds, over the requests
 *                               that produced a token (its {@code samples} can be lower than {@code requests})
 * @param guardrailVerdicts      requests per input verdict; every verdict is present, zero included; events
 *                               without a verdict are not counted here
 * @param costUsd                what the model calls cost, summed over the events that carried a cost
 */
public record AggregateSnapshot(
        String tenantId,
        String model,
        long requests,
        Map<Outcome, Long> outcomes,
        long refusals,
        long streamedRequests,
        long nonStreamedRequests,
        long promptTokens,
        long completionTokens,
        Percentiles latencyMillis,
        Percentiles timeToFirstTokenMillis,
        Map<Verdict, Long> guardrailVerdicts,
        double costUsd) {

    /**
     * A latency distribution in milliseconds, exact ({@code percentile_disc} over the stored events: each value
     * is one that was really observed). The values are null when there is no sample.
     *
     * @param samples how many values were recorded
     * @param p50     the median
     * @param p95     95% of the samples are at or below this
     * @param p99     99% of the samples are at or below this
     * @param max     the largest sample
     */
    public record Percentiles(long samples, Long p50, Long p95, Long p99, Long max) {
    }
}
