package dev.genaiplatform.simulator.serving;

import dev.genaiplatform.simulator.model.ModelProfile;
import dev.genaiplatform.simulator.tokens.TokenPiece;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static com.knuddels.jtokkit.api.EncodingType.O200K_BASE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler on a manual clock: every time below is exact and no test waits. The test model reads
 * prompts at 1,000 tokens/s (1 ms a token) and decodes a step in 10 ms plus 1 ms per further sequence.
 */
class ContinuousBatchingEngineTests {

    private final ManualStepClock clock = new ManualStepClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ContinuousBatchingEngine engine;

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void prefillsThePromptThenEmitsOneTokenPerDecodeStep() {
        ModelProfile model = start(1024, 8);

        Stream alone = serve(generation(model, 100, 3));
        clock.runUntilIdle();

        // first step: 10 ms pass + 100 prompt tokens at 1 ms each; then a 10 ms step per token
        assertThat(alone.times).containsExactly(110L, 120L, 130L);
        assertThat(alone.completed).isTrue();
    }

    @Test
    void decodeStepsTakeLongerAsTheBatchGrows() {
        ModelProfile model = start(1024, 8);

        Stream first = serve(generation(model, 100, 3));
        Stream second = serve(generation(model, 100, 3));
        clock.runUntilIdle();

        // both prompts are prefilled in one 211 ms pass (10 + 1 for the second sequence + 200), then 11 ms steps
        assertThat(first.times).containsExactly(211L, 222L, 233L);
        assertThat(second.times).containsExactly(211L, 222L, 233L);
    }

    @Test
    void runsNoMoreThanMaxRunningSequencesAndQueuesTheRest() {
        ModelProfile model = start(1024, 2);

        Stream a = serve(generation(model, 10, 2));
        serve(generation(model, 10, 2));
        Stream c = serve(generation(model, 10, 2));
        clock.runDue();

        assertThat(engine.load(model.id())).extracting(ModelScheduler.Load::running, ModelScheduler.Load::waiting)
                .containsExactly(2, 1);
        clock.runUntilIdle();
        assertThat(a.times).containsExactly(31L, 42L);
        // c starts right after a and b finish, alone: 10 ms pass + 10 prompt tokens
        assertThat(c.times).containsExactly(62L, 72L);
    }

    @Test
    void admitsWaitingRequestsInArrivalOrder() {
        ModelProfile model = start(1024, 1);

        List<Stream> streams = IntStream.range(0, 4).mapToObj(i -> serve(generation(model, 10, 1))).toList();
        clock.runUntilIdle();

        assertThat(streams).extracting(stream -> stream.times.getFirst()).containsExactly(20L, 40L, 60L, 80L);
    }

    @Test
    void admitsARequestOnlyWhenItsPromptAndOutputFitInFreeCacheBlocks() {
        ModelProfile model = start(64, 8); // four blocks of 16 tokens

        // 20 prompt + 3 output tokens = 2 blocks each: two fit, the third waits
        IntStream.range(0, 3).forEach(i -> serve(generation(model, 20, 3)));
        clock.runDue();

        assertThat(engine.load(model.id())).isEqualTo(new ModelScheduler.Load(2, 1, 4, 4));
        assertThat(gauge("simulator.kv.cache.usage")).isEqualTo(1.0);
        assertThat(gauge("simulator.requests.running")).isEqualTo(2.0);
        assertThat(gauge("simulator.requests.waiting")).isEqualTo(1.0);
    }

    @Test
    void neverLetsASmallRequestOvertakeTheWaitingHead() {
        ModelProfile model = start(64, 8);

        serve(generation(model, 20, 3));                // 2 blocks, runs
        Stream big = serve(generation(model, 40, 3));   // 3 blocks, only 2 free: waits
        Stream small = serve(generation(model, 5, 1));  // 1 block would fit, but waits behind the head
        clock.runDue();

        assertThat(engine.load(model.id())).isEqualTo(new ModelScheduler.Load(1, 2, 2, 4));
        clock.runUntilIdle();
        assertThat(small.times.getFirst()).isGreaterThanOrEqualTo(big.times.getFirst());
    }

    @Test
    void aFinishedSequenceFreesItsBlocksForAWaitingRequestBeforeTheBatchDrains() {
        ModelProfile model = start(64, 8);

        Stream shortOne = serve(generation(model, 20, 1));
        Stream longOne = serve(generation(model, 20, 4));
        Stream waiting = serve(generation(model, 20, 2));
        clock.runDue();
        assertThat(engine.load(model.id()).waiting()).isEqualTo(1);

        clock.advanceBy(Duration.ofMillis(51)); // the first pass: 10 + 1 + 40 prompt tokens
        assertThat(shortOne.completed).isTrue();
        assertThat(longOne.times).hasSize(1);
        // the waiting request joined the running batch at once, next to the unfinished long one
        assertThat(engine.load(model.id())).isEqualTo(new ModelScheduler.Load(2, 0, 4, 4));
        clock.runUntilIdle();
        assertThat(waiting.times).containsExactly(82L, 93L); // 51 + (10 + 1 + 20), then an 11 ms step
        assertThat(engine.load(model.id())).isEqualTo(new ModelScheduler.Load(0, 0, 0, 4));
    }

    @Test
    void aCancelledSequenceFreesItsBlocksAtOnceAndEmitsNothingMore() {
        ModelProfile model = start(1024, 1);

        Stream cancelled = serve(generation(model, 10, 5));
        Stream next = serve(generation(model, 10, 2));
        clock.advanceBy(Duration.ofMillis(20));
        assertThat(cancelled.times).containsExactly(20L);

        cancelled.subscription.dispose();
        clock.runDue();

        assertThat(engine.load(model.id())).isEqualTo(new ModelScheduler.Load(0, 1, 0, 64));
        clock.runUntilIdle();
        assertThat(cancelled.times).containsExactly(20L);
        assertThat(next.times).containsExactly(50L, 60L); // admitted when the running step ended at 30
    }

    @Test
    void aCancelledWaitingRequestLeavesTheQueue() {
        ModelProfile model = start(1024, 1);

        serve(generation(model, 10, 5));
        Stream queued = serve(generation(model, 10, 2));
        clock.runDue();
        queued.subscription.dispose();
        clock.runDue();

        assertThat(engine.load(model.id()).waiting()).isZero();
        clock.runUntilIdle();
        assertThat(queued.times).isEmpty();
    }

    @Test
    void timeToFirstTokenRisesWhileRequestsQueueForTheBatch() {
        ModelProfile model = start(1024, 1);

        List<Stream> streams = IntStream.range(0, 4).mapToObj(i -> serve(generation(model, 10, 5))).toList();
        clock.runUntilIdle();

        // each request waits for the five tokens of the one before it: 20 ms of prefill, then 4 steps of 10 ms
        assertThat(streams).extracting(stream -> stream.times.getFirst()).containsExactly(20L, 80L, 140L, 200L);
        assertThat(meters.get("simulator.time.to.first.token").timer().max(TimeUnit.MILLISECONDS)).isEqualTo(200.0);
        assertThat(meters.get("simulator.queue.time").timer().max(TimeUnit.MILLISECONDS)).isEqualTo(180.0);
        assertThat(meters.get("simulator.inter.token.latency").timer().count()).isEqualTo(16);
    }

    @Test
    void emitsAPieceOfSeveralTokensWhenItsLastTokenIsDecoded() {
        ModelProfile model = start(1024, 8);

        Stream stream = serve(new Generation(model, 10, List.of(new TokenPiece("Hi", 1), new TokenPiece(" 👋🏽", 3)),
                FinishReason.STOP));
        clock.runUntilIdle();

        assertThat(stream.texts).containsExactly("Hi", " 👋🏽");
        assertThat(stream.times).containsExactly(20L, 50L);
    }

    @Test
    void zeroDelaysMakeEveryStepInstant() {
        ModelProfile model = start(new ModelProfile("sim-test", "test", 1024, Duration.ZERO, Duration.ZERO, O200K_BASE,
                serving(1024, 2), ModelProfile.Pricing.FREE, ModelProfile.Answer.DEFAULT));

        List<Stream> streams = IntStream.range(0, 5).mapToObj(i -> serve(generation(model, 100, 4))).toList();
        clock.runDue();

        assertThat(streams).allSatisfy(stream -> {
            assertThat(stream.completed).isTrue();
            assertThat(stream.times).containsExactly(0L, 0L, 0L, 0L);
        });
    }

    @Test
    void servesAGenerationWithNoOutputAfterItsPrefill() {
        ModelProfile model = start(1024, 8);

        Stream empty = serve(new Generation(model, 10, List.of(), FinishReason.LENGTH));
        clock.runUntilIdle();

        assertThat(empty.completed).isTrue();
        assertThat(empty.times).isEmpty();
        assertThat(engine.load(model.id()).usedBlocks()).isZero();
    }

    private ModelProfile start(int kvCacheTokens, int maxRunningSequences) {
        return start(new ModelProfile("sim-test", "test", kvCacheTokens, null, null, O200K_BASE,
                serving(kvCacheTokens, maxRunningSequences), ModelProfile.Pricing.FREE, ModelProfile.Answer.DEFAULT));
    }

    private ModelProfile start(ModelProfile model) {
        engine = new ContinuousBatchingEngine(List.of(model), meters, profile -> clock);
        return model;
    }

    private static ModelProfile.Serving serving(int kvCacheTokens, int maxRunningSequences) {
        return new ModelProfile.Serving(kvCacheTokens, 16, maxRunningSequences, 10_000, 1000, Duration.ofMillis(10),
                Duration.ofMillis(1));
    }

    private static Generation generation(ModelProfile model, int promptTokens, int outputTokens) {
        List<TokenPiece> output = IntStream.range(0, outputTokens).mapToObj(i -> new TokenPiece(" t" + i, 1)).toList();
        return new Generation(model, promptTokens, output, FinishReason.STOP);
    }

    private double gauge(String name) {
        return meters.get(name).tag("model", "sim-test").gauge().value();
    }

    private Stream serve(Generation generation) {
        Stream stream = new Stream();
        stream.subscription = engine.generate(generation).subscribe(piece -> {
            stream.times.add(clock.nowMillis());
            stream.texts.add(piece.text());
        }, error -> { }, () -> stream.completed = true);
        return stream;
    }

    /** What one client saw: when each piece arrived, and whether the stream ended. */
    private static final class Stream {
        final List<Long> times = new ArrayList<>();
        final List<String> texts = new ArrayList<>();
        boolean completed;
        Disposable subscription;
    }
}
