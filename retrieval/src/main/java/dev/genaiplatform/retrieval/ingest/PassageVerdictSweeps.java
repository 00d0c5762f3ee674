package dev.genaiplatform.retrieval.ingest;

import dev.genaiplatform.retrieval.catalog.PassageVerdicts;
import dev.genaiplatform.retrieval.citation.Provenance;
import dev.genaiplatform.retrieval.search.ChunkIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

/**
 * The two passes over the whole index that keep passage verdicts true to it (README, Wave 12), each on a schedule of
 * its own and on a virtual thread (the scheduler's thread is shared with other periodic work; a sweep that asks
 * guardrails can take a while), never two of one kind at once:
 * <ul>
 *   <li>{@link #pruneNow}: deletes the verdicts of texts no longer indexed for their tenant
 *       ({@link PassageVerdicts#prune} says why a sweep and why it is safe while files are indexed);</li>
 *   <li>{@link #judgeNow}: judges the passages still lacking a verdict under guardrails' current policy
 *       ({@link PassageJudging#judgeStillUnjudged}: after guardrails was down past {@code retry-for}, after a policy
 *       or judge change, or a verdict another instance replaced).</li>
 * </ul>
 * Both start one interval after the built-in corpus is indexed, not at start: after a lost index folder every file is
 * re-ingested over the following minutes, and a prune then would delete verdicts about to be reused. With several
 * instances on one database each sweeps; the sweeps agree (the index is the shared pgvector table), so a second one
 * finds nothing left to do.
 */
public final class PassageVerdictSweeps implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PassageVerdictSweeps.class);

    private final PassageVerdicts verdicts;
    private final PassageJudging judging;
    private final ChunkIndex index;
    private final Duration pruneEvery;
    private final Duration judgeEvery;
    private final TaskScheduler scheduler;
    private final List<ScheduledFuture<?>> schedules = new ArrayList<>();

    /** @param pruneEvery, judgeEvery how often each sweep runs; zero never runs it */
    public PassageVerdictSweeps(PassageVerdicts verdicts, PassageJudging judging, ChunkIndex index,
                                Duration pruneEvery, Duration judgeEvery, TaskScheduler scheduler) {
        this.verdicts = verdicts;
        this.judging = judging;
        this.index = index;
        this.pruneEvery = pruneEvery;
        this.judgeEvery = judgeEvery;
        this.scheduler = scheduler;
    }

    @EventListener
    synchronized void startAfterTheCorpus(CorpusIndexedEvent indexed) {
        if (schedules.isEmpty()) {
            schedule("prune", pruneEvery, this::pruneNow);
            schedule("judge", judgeEvery, this::judgeNow);
        }
    }

    /** One prune now; how many verdicts it deleted. */
    public int pruneNow() {
        long started = System.nanoTime();
        int deleted = verdicts.prune(passage -> index.forEachPassage(Provenance.TENANT, passage));
        log.info("Pruned {} passage verdicts of texts no longer indexed ({} kept in memory) in {} ms", deleted,
                verdicts.size(), (System.nanoTime() - started) / 1_000_000);
        return deleted;
    }

    /** One judging sweep now; how many passages it had judged. */
    public int judgeNow() {
        return judging.judgeStillUnjudged(passage -> index.forEachPassage(Provenance.TENANT, passage));
    }

    private void schedule(String name, Duration every, IntSupplier sweep) {
        if (every.isZero()) {
            return;
        }
        AtomicBoolean running = new AtomicBoolean();
        schedules.add(scheduler.scheduleWithFixedDelay(() -> {
            if (running.compareAndSet(false, true)) {
                Thread.ofVirtual().name("passage-verdicts-" + name).start(() -> {
                    try {
                        sweep.getAsInt();
                    } catch (RuntimeException e) {
                        log.warn("The passage verdicts' {} sweep failed; trying again in {}", name, every, e);
                    } finally {
                        running.set(false);
                    }
                });
            }
        }, Instant.now().plus(every), every));
    }

    @Override
    public synchronized void close() {
        schedules.forEach(schedule -> schedule.cancel(false));
    }
}
