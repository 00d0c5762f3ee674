package dev.genaiplatform.contracts.chat;

import dev.genaiplatform.contracts.guardrails.Verdict;

import java.time.Instant;
import java.util.List;

/**
 * Published by the orchestrator once per chat request, whatever its outcome: the raw material of
 * evaluation, monitoring and cost accounting.
 *
 * @param eventId                unique id of this event (consumers use it to drop duplicates)
 * @param occurredAt             when the request finished
 * @param requestId              the chat completion id returned to the client
 * @param tenantId               the tenant that made the request
 * @param model                  the model name the client asked for
 * @param streamed               whether the answer was streamed as server-sent events
 * @param promptTokens           tokens sent to the model (0 when it was never called)
 * @param completionTokens       tokens the model produced
 * @param latencyMillis          from request received to last byte produced
 * @param timeToFirstTokenMillis from request received to the first answer token; null when none was produced
 * @param retrievedChunkIds      the chunks put into the prompt, best first
 * @param guardrailVerdict       what guardrails decided about the input
 * @param outcome                how the request ended
 * @param finishReason           the model's finish reason ({@code stop}, {@code length}, ...), null when not called
 * @param provenance             what produced the answer (prompt version, served model, route, cache, retrieval
 *                               settings, experiment arm), so any result traces back to its configuration; null
 *                               from producers that predate it
 * @param costUsd                what the model calls cost at the price table's rates; null when unknown
 */
public record ChatCompletionRecordedEvent(
        String eventId,
        Instant occurredAt,
        String requestId,
        String tenantId,
        String model,
        boolean streamed,
        int promptTokens,
        int completionTokens,
        long latencyMillis,
        Long timeToFirstTokenMillis,
        List<String> retrievedChunkIds,
        Verdict guardrailVerdict,
        Outcome outcome,
        String finishReason,
        RequestProvenance provenance,
        Double costUsd) {

    /** The event as first published, before provenance and cost were recorded. */
    public ChatCompletionRecordedEvent(String eventId, Instant occurredAt, String requestId, String tenantId,
            String model, boolean streamed, int promptTokens, int completionTokens, long latencyMillis,
            Long timeToFirstTokenMillis, List<String> retrievedChunkIds, Verdict guardrailVerdict, Outcome outcome,
            String finishReason) {
        this(eventId, occurredAt, requestId, tenantId, model, streamed, promptTokens, completionTokens, latencyMillis,
                timeToFirstTokenMillis, retrievedChunkIds, guardrailVerdict, outcome, finishReason, null, null);
    }

    public enum Outcome {
        /** The model answered from the context. */
        ANSWERED,
        /** The model said it does not know: nothing relevant was retrieved. */
        NO_ANSWER,
        /** Guardrails blocked the input; no model was called. */
        REFUSED_BY_GUARDRAILS,
        /** A dependency failed or timed out. */
        FAILED
    }
}
