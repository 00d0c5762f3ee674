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
import java.util.concurrent.ScheduledFuture;

/**
 * Deletes the stored verdicts of texts no longer indexed for their tenant ({@link PassageVerdicts#prune}, which says
 * why a sweep and why it is safe while files are indexed), every {@code every}. The first sweep runs one interval
 * after the built-in corpus is indexed, not at start: after a lost index folder every file is re-ingested over the
 * following minutes, and a sweep then would delete verdicts that are about to be reused. With several instances on
 * one database each sweeps; the sweeps agree (the index is the shared pgvector table), so the second deletes nothing.
 */
public final class PassageVerdictPruning implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PassageVerdictPruning.class);

    private final PassageVerdicts verdicts;
    private final ChunkIndex index;
    private final Duration every;
    private final TaskScheduler scheduler;
    private volatile ScheduledFuture<?> sweeps;

    /** @param every how often to sweep; zero never does */
    public PassageVerdictPruning(PassageVerdicts verdicts, ChunkIndex index, Duration every, TaskScheduler scheduler) {
        this.verdicts = verdicts;
        this.index = index;
        this.every = every;
        this.scheduler = scheduler;
    }

    @EventListener
    void startAfterTheCorpus(CorpusIndexedEvent indexed) {
        if (!every.isZero() && sweeps == null) {
            sweeps = scheduler.scheduleWithFixedDelay(this::pruneQuietly, Instant.now().plus(every), every);
        }
    }

    /** One sweep now; how many verdicts it deleted. */
    public int pruneNow() {
        long started = System.nanoTime();
        int deleted = verdicts.prune(passage -> index.forEachPassage(Provenance.TENANT, passage));
        log.info("Pruned {} passage verdicts of texts no longer indexed ({} kept in memory) in {} ms", deleted,
                verdicts.size(), (System.nanoTime() - started) / 1_000_000);
        return deleted;
    }

    private void pruneQuietly() {
        try {
            pruneNow();
        } catch (RuntimeException e) {
            log.warn("Pruning passage verdicts failed; trying again in {}", every, e);
        }
    }

    @Override
    public void close() {
        if (sweeps != null) {
            sweeps.cancel(false);
        }
    }
}
