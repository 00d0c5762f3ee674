package dev.genaiplatform.evaluation.aggregates;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.evaluation.aggregates.AggregateSnapshot.Percentiles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

class CompletionAggregatorTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CompletionAggregator aggregator = new CompletionAggregator(1_000, Duration.ofMinutes(10), meters);

    @Test
    void reportsLatencyPercentilesOfTheRecordedValues() {
        for (long millis = 1; millis <= 100; millis++) {
            aggregator.record(CompletionEvents.answered("acme", "sim-small").latency(millis, millis / 2).build());
        }

        AggregateSnapshot snapshot = onlySnapshot("acme");

        assertThat(snapshot.latencyMillis()).isEqualTo(new Percentiles(100, 50L, 95L, 99L, 100L));
        assertThat(snapshot.timeToFirstTokenMillis()).isEqualTo(new Percentiles(100, 25L, 47L, 49L, 50L));
    }

    @Test
    void capsLatenciesAboveTheHighestTrackableValue() {
        var shortHorizon = new CompletionAggregator(10, Duration.ofSeconds(1), meters);
        shortHorizon.record(CompletionEvents.answered("acme", "sim-small").latency(5_000, null).build());

        Percentiles latency = shortHorizon.snapshotsOf("acme", null).getFirst().latencyMillis();

        assertThat(latency.max()).isBetween(1_000L, 1_010L);
    }

    @Test
    void countsTimeToFirstTokenOnlyForRequestsThatProducedOne() {
        aggregator.record(CompletionEvents.answered("acme", "sim-small").latency(300, 30L).build());
        aggregator.record(CompletionEvents.answered("acme", "sim-small")
                .outcome(Outcome.REFUSED_BY_GUARDRAILS).latency(5, null).build());

        AggregateSnapshot snapshot = onlySnapshot("acme");

        assertThat(snapshot.latencyMillis().samples()).isEqualTo(2);
        assertThat(snapshot.timeToFirstTokenMillis()).isEqualTo(new Percentiles(1, 30L, 30L, 30L, 30L));
    }

    @Test
    void reportsNoPercentilesBeforeAnySample() {
        aggregator.record(CompletionEvents.answered("acme", "sim-small").latency(10, null).build());

        assertThat(onlySnapshot("acme").timeToFirstTokenMillis()).isEqualTo(new Percentiles(0, null, null, null, null));
    }

    @Test
    void countsEveryOutcomeAndDefinesRefusalsAsGuardrailRefusalsPlusNoAnswers() {
        var answered = CompletionEvents.answered("acme", "sim-small");
        aggregator.record(answered.build());
        aggregator.record(answered.build());
        aggregator.record(answered.outcome(Outcome.NO_ANSWER).build());
        aggregator.record(answered.outcome(Outcome.REFUSED_BY_GUARDRAILS).verdict(Verdict.BLOCKED).build());
        aggregator.record(answered.outcome(Outcome.FAILED).build());

        AggregateSnapshot snapshot = onlySnapshot("acme");

        assertThat(snapshot.requests()).isEqualTo(5);
        assertThat(snapshot.outcomes()).containsExactly(entry(Outcome.ANSWERED, 2L), entry(Outcome.NO_ANSWER, 1L),
                entry(Outcome.REFUSED_BY_GUARDRAILS, 1L), entry(Outcome.FAILED, 1L));
        assertThat(snapshot.refusals()).isEqualTo(2);
        assertThat(snapshot.guardrailVerdicts()).containsEntry(Verdict.ALLOWED, 4L)
                .containsEntry(Verdict.BLOCKED, 1L).containsEntry(Verdict.REDACTED, 0L);
    }

    @Test
    void sumsTokensAndSplitsStreamedFromNonStreamedRequests() {
        var answered = CompletionEvents.answered("acme", "sim-small");
        aggregator.record(answered.streamed(true).tokens(400, 50).build());
        aggregator.record(answered.streamed(true).tokens(100, 10).build());
        aggregator.record(answered.streamed(false).tokens(0, 0).build());

        AggregateSnapshot snapshot = onlySnapshot("acme");

        assertThat(snapshot.streamedRequests()).isEqualTo(2);
        assertThat(snapshot.nonStreamedRequests()).isEqualTo(1);
        assertThat(snapshot.promptTokens()).isEqualTo(500);
        assertThat(snapshot.completionTokens()).isEqualTo(60);
    }

    @Test
    void ignoresAnEventDeliveredTwice() {
        ChatCompletionRecordedEvent event = CompletionEvents.answered("acme", "sim-small").build("evt-1");

        assertThat(aggregator.record(event)).isTrue();
        assertThat(aggregator.record(event)).isFalse();

        assertThat(onlySnapshot("acme").requests()).isEqualTo(1);
        assertThat(meters.get("platform.chat.requests").counter().count()).isEqualTo(1);
        assertThat(meters.get("platform.evaluation.duplicate.events").counter().count()).isEqualTo(1);
    }

    @Test
    void countsADuplicateAgainOnceItHasLeftTheWindowOfRecentIds() {
        var smallWindow = new CompletionAggregator(2, Duration.ofMinutes(10), meters);
        var answered = CompletionEvents.answered("acme", "sim-small");
        smallWindow.record(answered.build("evt-1"));
        smallWindow.record(answered.build("evt-2"));
        smallWindow.record(answered.build("evt-3"));

        assertThat(smallWindow.record(answered.build("evt-3"))).isFalse();
        assertThat(smallWindow.record(answered.build("evt-1"))).isTrue();
    }

    @Test
    void keepsTenantsAndModelsApartAndSortsByModel() {
        aggregator.record(CompletionEvents.answered("acme", "sim-small").build());
        aggregator.record(CompletionEvents.answered("acme", "sim-large").build());
        aggregator.record(CompletionEvents.answered("globex", "sim-small").build());

        assertThat(aggregator.snapshotsOf("acme", null)).extracting(AggregateSnapshot::model)
                .containsExactly("sim-large", "sim-small");
        assertThat(aggregator.snapshotsOf("acme", "sim-small")).singleElement()
                .extracting(AggregateSnapshot::requests).isEqualTo(1L);
        assertThat(aggregator.snapshotsOf("globex", null)).extracting(AggregateSnapshot::tenantId)
                .containsExactly("globex");
        assertThat(aggregator.snapshotsOf("initech", null)).isEmpty();
    }

    @Test
    void rejectsEventsThatCannotBeAttributedOrMeasured() {
        var answered = CompletionEvents.answered("acme", "sim-small");

        assertThatIllegalArgumentException().isThrownBy(() -> aggregator.record(null));
        assertThatIllegalArgumentException().isThrownBy(() -> aggregator.record(answered.build(" ")));
        assertThatIllegalArgumentException().isThrownBy(() -> aggregator.record(
                CompletionEvents.answered(null, "sim-small").build()));
        assertThatIllegalArgumentException().isThrownBy(() -> aggregator.record(
                CompletionEvents.answered("acme", "").build()));
        assertThatIllegalArgumentException().isThrownBy(() -> aggregator.record(answered.outcome(null).build()));
        assertThatIllegalArgumentException().isThrownBy(() -> aggregator.record(answered.latency(-1, null).build()));
        assertThat(aggregator.snapshotsOf("acme", null)).isEmpty();
    }

    @Test
    void publishesCountersAndTimersTaggedWithTenantAndModel() {
        var answered = CompletionEvents.answered("acme", "sim-small").tokens(400, 50).latency(250, 40L);
        aggregator.record(answered.build());
        aggregator.record(answered.outcome(Outcome.NO_ANSWER).build());

        assertThat(meters.get("platform.chat.requests").tags("tenant", "acme", "model", "sim-small",
                "outcome", "NO_ANSWER").counter().count()).isEqualTo(1);
        assertThat(meters.get("platform.chat.tokens").tags("tenant", "acme", "kind", "prompt").counter().count())
                .isEqualTo(800);
        assertThat(meters.get("platform.chat.tokens").tags("tenant", "acme", "kind", "completion").counter().count())
                .isEqualTo(100);
        assertThat(meters.get("platform.chat.latency").tags("tenant", "acme", "model", "sim-small").timer().count())
                .isEqualTo(2);
        assertThat(meters.get("platform.chat.time.to.first.token").timer().totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(80);
    }

    @Test
    void losesNoCountWhenManyThreadsRecordAndReadAtOnce() throws Exception {
        int threads = 8;
        int eventsPerThread = 2_000;
        var concurrent = new CompletionAggregator(threads * eventsPerThread, Duration.ofMinutes(10), meters);
        var start = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads + 1)) {
            for (int t = 0; t < threads; t++) {
                String model = t % 2 == 0 ? "sim-small" : "sim-large";
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < eventsPerThread; i++) {
                        concurrent.record(CompletionEvents.answered("acme", model).latency(1 + i % 500, 7L).build());
                    }
                    return null;
                }));
            }
            Future<?> reader = pool.submit(() -> {
                start.await();
                for (int i = 0; i < 200; i++) {
                    for (AggregateSnapshot snapshot : concurrent.snapshotsOf("acme", null)) {
                        // a snapshot is taken under the aggregate's lock, so its figures always agree
                        assertThat(snapshot.latencyMillis().samples()).isEqualTo(snapshot.requests());
                        assertThat(snapshot.outcomes().get(Outcome.ANSWERED)).isEqualTo(snapshot.requests());
                    }
                }
                return null;
            });
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get();
            }
            reader.get();
        }

        List<AggregateSnapshot> snapshots = concurrent.snapshotsOf("acme", null);
        assertThat(snapshots).extracting(AggregateSnapshot::requests)
                .containsExactly((long) threads / 2 * eventsPerThread, (long) threads / 2 * eventsPerThread);
        assertThat(snapshots).allSatisfy(snapshot ->
                assertThat(snapshot.latencyMillis().samples()).isEqualTo(snapshot.requests()));
        assertThat(meters.get("platform.chat.requests").counters().stream().mapToDouble(Counter::count).sum())
                .isEqualTo(threads * eventsPerThread);
    }

    private AggregateSnapshot onlySnapshot(String tenantId) {
        List<AggregateSnapshot> snapshots = aggregator.snapshotsOf(tenantId, null);
        assertThat(snapshots).hasSize(1);
        return snapshots.getFirst();
    }
}
