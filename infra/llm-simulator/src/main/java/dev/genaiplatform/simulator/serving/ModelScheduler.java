package dev.genaiplatform.simulator.serving;

import dev.genaiplatform.simulator.model.ModelProfile;
import dev.genaiplatform.simulator.tokens.TokenPiece;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One model's continuous-batching loop, the way vLLM's scheduler works, minus the GPU:
 * <ol>
 *   <li>A request waits in a FIFO queue until its prompt and its output fit in free KV-cache blocks and a
 *       sequence slot is free; the queue's head is never overtaken.</li>
 *   <li>Each step is one forward pass over every running sequence: newly admitted ones have their prompt
 *       prefilled, the others decode. Each sequence gets one token when the step ends ({@link StepTime}).</li>
 *   <li>A sequence that has emitted its last token, or whose client went away, frees its blocks at once,
 *       and waiting requests join at the start of the very next step: the batch never drains first.</li>
 * </ol>
 * All state lives on the clock's single thread, so there are no locks; other threads only hand tasks over.
 * The loop sleeps when nothing runs or waits.
 */
final class ModelScheduler {

    private static final Logger log = LoggerFactory.getLogger(ModelScheduler.class);

    /** What the scheduler holds right now; read by gauges and tests from any thread. */
    record Load(int running, int waiting, int usedBlocks, int totalBlocks) {

        double kvCacheUsage() {
            return totalBlocks == 0 ? 0 : (double) usedBlocks / totalBlocks;
        }
    }

    private final ModelProfile.Serving serving;
    private final StepTime stepTime;
    private final StepClock clock;
    private final ServingMetrics metrics;

    private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
    private final List<Sequence> running = new ArrayList<>();
    private int usedBlocks;
    private boolean stepInFlight;
    private volatile Load load;

    ModelScheduler(ModelProfile profile, StepClock clock, ServingMetrics metrics) {
        this.serving = profile.serving();
        this.stepTime = new StepTime(profile);
        this.clock = clock;
        this.metrics = metrics;
        this.load = new Load(0, 0, 0, serving.kvCacheBlocks());
        metrics.watch(this::load);
    }

    Load load() {
        return load;
    }

    /** The generation's pieces, each emitted when the step that produces it ends. Enqueued on subscription. */
    Flux<TokenPiece> serve(Generation generation) {
        return Flux.defer(() -> {
            // a sequence ends up holding its prompt and its whole output; reserving that up front is what a
            // paged cache reaches block by block, without ever having to preempt a sequence
            int tokens = generation.promptTokens() + generation.completionTokens();
            int blocks = Math.min(serving.blocksFor(tokens), serving.kvCacheBlocks());
            Sequence sequence = new Sequence(generation, blocks);
            clock.execute(guarded(() -> enqueue(sequence)));
            return sequence.sink.asFlux().doOnCancel(() -> clock.execute(guarded(() -> cancel(sequence))));
        });
    }

    private void enqueue(Sequence sequence) {
        sequence.enqueuedAt = clock.nanoTime();
        waiting.addLast(sequence);
        publishLoad();
        if (!stepInFlight) {
            // start on the next turn of the loop, so requests that arrived together are prefilled together
            stepInFlight = true;
            clock.execute(guarded(this::startStep));
        }
    }

    private void cancel(Sequence sequence) {
        if (sequence.done) {
            return;
        }
        sequence.done = true;
        if (!waiting.remove(sequence) && running.remove(sequence)) {
            usedBlocks -= sequence.reservedBlocks;
        }
        publishLoad();
    }

    /** Admits what fits, then runs one forward pass over the batch; sleeps when there is nothing to run. */
    private void startStep() {
        int prefillTokens = 0;
        long now = clock.nanoTime();
        while (!waiting.isEmpty() && fits(waiting.peekFirst(), prefillTokens)) {
            Sequence admitted = waiting.removeFirst();
            usedBlocks += admitted.reservedBlocks;
            prefillTokens += admitted.promptTokens;
            running.add(admitted);
            metrics.queueTime(now - admitted.enqueuedAt);
        }
        publishLoad();
        if (running.isEmpty()) {
            stepInFlight = false;
            return;
        }
        stepInFlight = true;
        clock.schedule(guarded(this::finishStep), stepTime.nanos(running.size(), prefillTokens));
    }

    private boolean fits(Sequence next, int prefillTokensSoFar) {
        return running.size() < serving.maxRunningSequences()
                && usedBlocks + next.reservedBlocks <= serving.kvCacheBlocks()
                && (prefillTokensSoFar == 0 || prefillTokensSoFar + next.promptTokens <= serving.maxPrefillTokensPerStep());
    }

    /** The pass is over: one token for every sequence in it, finished ones leave, the next step starts. */
    private void finishStep() {
        try {
            long now = clock.nanoTime();
            Iterator<Sequence> batch = running.iterator();
            while (batch.hasNext()) {
                Sequence sequence = batch.next();
                TokenPiece piece = sequence.advance();
                if (piece != null) {
                    emit(sequence, piece, now);
                }
                if (sequence.finished()) {
                    batch.remove();
                    usedBlocks -= sequence.reservedBlocks;
                    sequence.done = true;
                    sequence.sink.tryEmitComplete();
                }
            }
        } finally {
            startStep();
        }
    }

    private void emit(Sequence sequence, TokenPiece piece, long now) {
        if (sequence.lastEmittedAt < 0) {
            metrics.timeToFirstToken(now - sequence.enqueuedAt);
        } else {
            metrics.interTokenLatency(now - sequence.lastEmittedAt);
        }
        sequence.lastEmittedAt = now;
        sequence.sink.tryEmitNext(piece);
    }

    private void publishLoad() {
        load = new Load(running.size(), waiting.size(), usedBlocks, serving.kvCacheBlocks());
    }

    /** A failing task must not kill the model's only thread and leave every stream hanging. */
    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("Serving step failed", e);
            }
        };
    }
}
