package dev.genaiplatform.evaluation.aggregates;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Running aggregates of chat completion events per (tenant, model), in memory: they start from zero when
 * the service starts and are lost when it stops. Prometheus, fed by the same events, keeps the history.
 *
 * <p>Safe to call from any number of threads: the map of aggregates is concurrent and each aggregate
 * guards its own fields, so events of different pairs never wait for each other.
 */
public class CompletionAggregator {

    private final Map<AggregateKey, RunningAggregate> aggregates = new ConcurrentHashMap<>();
    private final RecentEventIds recentEventIds;
    private final long highestTrackableMillis;
    private final CompletionMeters meters;

    /**
     * @param recentEventIds          how many recent event ids to remember to drop duplicates
     * @param highestTrackableLatency latencies above this are recorded as this
     * @param meterRegistry           where the Prometheus meters go
     */
    public CompletionAggregator(int recentEventIds, Duration highestTrackableLatency, MeterRegistry meterRegistry) {
        this.recentEventIds = new RecentEventIds(recentEventIds);
        this.highestTrackableMillis = highestTrackableLatency.toMillis();
        this.meters = new CompletionMeters(meterRegistry, highestTrackableLatency);
    }

    /**
     * Adds one event to its aggregate and to the meters.
     *
     * @return false when the event was a duplicate and was ignored
     * @throws IllegalArgumentException when the event lacks what an aggregate needs; it is never counted
     */
    public boolean record(ChatCompletionRecordedEvent event) {
        validate(event);
        if (!recentEventIds.firstSighting(event.eventId())) {
            meters.recordDuplicate();
            return false;
        }
        aggregates.computeIfAbsent(new AggregateKey(event.tenantId(), event.model()),
                        key -> new RunningAggregate(key.tenantId(), key.model(), highestTrackableMillis))
                .add(event);
        meters.record(event);
        return true;
    }

    /** The aggregates of one tenant, sorted by model; only those of {@code model} when it is not null. */
    public List<AggregateSnapshot> snapshotsOf(String tenantId, String model) {
        return aggregates.entrySet().stream()
                .filter(entry -> entry.getKey().tenantId().equals(tenantId))
                .filter(entry -> model == null || entry.getKey().model().equals(model))
                .map(entry -> entry.getValue().snapshot())
                .sorted(Comparator.comparing(AggregateSnapshot::model))
                .toList();
    }

    private static void validate(ChatCompletionRecordedEvent event) {
        if (event == null) {
            throw new IllegalArgumentException("no event (empty record value)");
        }
        requireText(event.eventId(), "eventId");
        requireText(event.tenantId(), "tenantId");
        requireText(event.model(), "model");
        if (event.outcome() == null) {
            throw new IllegalArgumentException("event " + event.eventId() + " has no outcome");
        }
        if (event.promptTokens() < 0 || event.completionTokens() < 0 || event.latencyMillis() < 0
                || (event.timeToFirstTokenMillis() != null && event.timeToFirstTokenMillis() < 0)) {
            throw new IllegalArgumentException("event " + event.eventId() + " has a negative token count or duration");
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("event has no " + field);
        }
    }

    private record AggregateKey(String tenantId, String model) {
    }
}
