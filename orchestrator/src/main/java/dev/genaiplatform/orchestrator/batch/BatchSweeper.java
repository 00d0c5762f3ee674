package dev.genaiplatform.orchestrator.batch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The batch lane's housekeeping, every {@code sweep-interval} on each instance (every step is a conditional update,
 * so instances sweeping at once do no harm): batches past their completion window expire; lines held by a take older
 * than the lease (its instance died) wait for a token again; parked lines go on when this instance holds a live token
 * of their key; open batches whose lines are all finished are closed.
 */
final class BatchSweeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BatchSweeper.class);

    private final BatchStore store;
    private final Batches batches;
    private final BatchSettings settings;
    private ScheduledExecutorService timer;

    BatchSweeper(BatchStore store, Batches batches, BatchSettings settings) {
        this.store = store;
        this.batches = batches;
        this.settings = settings;
    }

    void sweep() {
        try {
            List<String> expired = this.store.expireOverdue();
            if (!expired.isEmpty()) {
                log.info("Batches past their completion window expired: {}", expired);
            }
            List<String> taken = this.store.releaseStaleClaims(this.settings.claimLease());
            if (!taken.isEmpty()) {
                log.info("Lines of batches {} were held by a take older than {}; they are queued again", taken,
                        this.settings.claimLease());
            }
            this.store.batchesWaitingForToken().forEach(this.batches::requeueParked);
            this.store.finishedButOpen().forEach(this.store::finalizeIfDone);
        }
        catch (RuntimeException failed) {
            log.warn("Batch sweep failed; the next one tries again: {}", failed.getMessage());
        }
    }

    @Override
    public void start() {
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("batch-sweep").factory());
        long every = this.settings.sweepInterval().toMillis();
        this.timer.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (this.timer != null) {
            this.timer.shutdownNow();
            this.timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return this.timer != null;
    }
}
