package dev.genaiplatform.evaluation.events;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.contracts.chat.RequestProvenance;
import dev.genaiplatform.contracts.guardrails.Verdict;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds events for tests: an answered, non-streamed request with prompt v1 unless a test says otherwise. */
public record CompletionEvents(String tenantId, String model, Outcome outcome, boolean streamed,
                               int promptTokens, int completionTokens, long latencyMillis,
                               Long timeToFirstTokenMillis, Verdict verdict, String promptVersion,
                               String experimentArm, Double costUsd) {

    public static CompletionEvents answered(String tenantId, String model) {
        return new CompletionEvents(tenantId, model, Outcome.ANSWERED, false, 100, 20, 200, 40L, Verdict.ALLOWED,
                "grounded-answer@v1", null, 0.000027);
    }

    public CompletionEvents outcome(Outcome value) {
        return new CompletionEvents(tenantId, model, value, streamed, promptTokens, completionTokens,
                latencyMillis, timeToFirstTokenMillis, verdict, promptVersion, experimentArm, costUsd);
    }

    public CompletionEvents streamed(boolean value) {
        return new CompletionEvents(tenantId, model, outcome, value, promptTokens, completionTokens,
                latencyMillis, timeToFirstTokenMillis, verdict, promptVersion, experimentArm, costUsd);
    }

    public CompletionEvents tokens(int prompt, int completion) {
        return new CompletionEvents(tenantId, model, outcome, streamed, prompt, completion,
                latencyMillis, timeToFirstTokenMillis, verdict, promptVersion, experimentArm, costUsd);
    }

    public CompletionEvents latency(long millis, Long firstTokenMillis) {
        return new CompletionEvents(tenantId, model, outcome, streamed, promptTokens, completionTokens,
                millis, firstTokenMillis, verdict, promptVersion, experimentArm, costUsd);
    }

    public CompletionEvents verdict(Verdict value) {
        return new CompletionEvents(tenantId, model, outcome, streamed, promptTokens, completionTokens,
                latencyMillis, timeToFirstTokenMillis, value, promptVersion, experimentArm, costUsd);
    }

    public CompletionEvents arm(String value) {
        return new CompletionEvents(tenantId, model, outcome, streamed, promptTokens, completionTokens,
                latencyMillis, timeToFirstTokenMillis, verdict, promptVersion, value, costUsd);
    }

    public CompletionEvents cost(Double value) {
        return new CompletionEvents(tenantId, model, outcome, streamed, promptTokens, completionTokens,
                latencyMillis, timeToFirstTokenMillis, verdict, promptVersion, experimentArm, value);
    }

    /** The event, with a fresh event id. */
    public ChatCompletionRecordedEvent build() {
        return build(UUID.randomUUID().toString());
    }

    public ChatCompletionRecordedEvent build(String eventId) {
        return new ChatCompletionRecordedEvent(eventId, Instant.parse("2026-11-27T20:00:00Z"),
                "chatcmpl-" + eventId, tenantId, model, streamed, promptTokens, completionTokens,
                latencyMillis, timeToFirstTokenMillis, List.of("architecture.md#3"), verdict, outcome, "stop",
                new RequestProvenance(promptVersion, model, "explicit", "miss", Map.of("top-k", "4"), experimentArm,
                        null, null),
                costUsd);
    }
}
