package dev.genaiplatform.evaluation.aggregates;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.contracts.guardrails.Verdict;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Builds events for tests: an answered, non-streamed request unless a test says otherwise. */
public record CompletionEvents(String tenantId, String model, Outcome outcome, boolean streamed,
                               int promptTokens, int completionTokens, long latencyMillis,
                               Long timeToFirstTokenMillis, Verdict verdict) {

    public static CompletionEvents answered(String tenantId, String model) {
        return new CompletionEvents(tenantId, model, Outcome.ANSWERED, false, 100, 20, 200, 40L, Verdict.ALLOWED);
    }

    public CompletionEvents outcome(Outcome value) {
        return new CompletionEvents(tenantId, model, value, streamed, promptTokens, completionTokens,
                latencyMillis, timeToFirstTokenMillis, verdict);
    }

    public CompletionEvents streamed(boolean value) {
        return new CompletionEvents(tenantId, model, outcome, value, promptTokens, completionTokens,
                latencyMillis, timeToFirstTokenMillis, verdict);
    }

    public CompletionEvents tokens(int prompt, int completion) {
        return new CompletionEvents(tenantId, model, outcome, streamed, prompt, completion,
                latencyMillis, timeToFirstTokenMillis, verdict);
    }

    public CompletionEvents latency(long millis, Long firstTokenMillis) {
        return new CompletionEvents(tenantId, model, outcome, streamed, promptTokens, completionTokens,
                millis, firstTokenMillis, verdict);
    }

    public CompletionEvents verdict(Verdict value) {
        return new CompletionEvents(tenantId, model, outcome, streamed, promptTokens, completionTokens,
                latencyMillis, timeToFirstTokenMillis, value);
    }

    /** The event, with a fresh event id. */
    public ChatCompletionRecordedEvent build() {
        return build(UUID.randomUUID().toString());
    }

    public ChatCompletionRecordedEvent build(String eventId) {
        return new ChatCompletionRecordedEvent(eventId, Instant.parse("2026-11-27T20:00:00Z"),
                "chatcmpl-" + eventId, tenantId, model, streamed, promptTokens, completionTokens,
                latencyMillis, timeToFirstTokenMillis, List.of("architecture.md#3"), verdict, outcome, "stop");
    }
}
