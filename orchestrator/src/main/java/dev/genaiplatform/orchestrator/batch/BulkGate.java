package dev.genaiplatform.orchestrator.batch;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bulk lane runs only while no ordinary batch line waits: every {@code interval} it asks the store (shared by
 * every instance) whether a {@code BATCH} line is queued, and pauses the bulk consumers while one is, resumes them
 * when none is. A paused consumer fetches nothing, so bulk lines stay on the broker, in order, and nothing is lost. A
 * bulk line already fetched when a batch line arrives is handed back by the worker itself ({@link BatchWorker}); one
 * already at its model finishes (a model call is never pre-empted).
 */
final class BulkGate implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BulkGate.class);

    private final BatchStore store;
    private final MessageListenerContainer bulkLines;
    private final Duration interval;
    private final AtomicBoolean paused = new AtomicBoolean();
    private ScheduledExecutorService timer;

    BulkGate(BatchStore store, MessageListenerContainer bulkLines, Duration interval, MeterRegistry meters) {
        this.store = store;
        this.bulkLines = bulkLines;
        this.interval = interval;
        meters.gauge("platform.batch.bulk.paused", this.paused, p -> p.get() ? 1 : 0);
    }

    void check() {
        try {
            boolean batchWaiting = this.store.batchLinesWaiting();
            if (batchWaiting && this.paused.compareAndSet(false, true)) {
                this.bulkLines.pause();
                log.debug("Bulk lane paused: batch lines are waiting");
            }
            else if (!batchWaiting && this.paused.compareAndSet(true, false)) {
                this.bulkLines.resume();
                log.debug("Bulk lane resumed: no batch line waits");
            }
        }
        catch (RuntimeException unreadable) {
            // the database is away: leave the gate as it is; the worker checks again before each bulk line
            log.warn("Bulk gate could not read the batch queue: {}", unreadable.getMessage());
        }
    }

    @Override
    public void start() {
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("bulk-gate").factory());
        long every = this.interval.toMillis();
        this.timer.scheduleWithFixedDelay(this::check, 0, every, TimeUnit.MILLISECONDS);
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
