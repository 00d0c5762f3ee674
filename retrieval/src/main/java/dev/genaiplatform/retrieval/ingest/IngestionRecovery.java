package dev.genaiplatform.retrieval.ingest;

import dev.genaiplatform.contracts.retrieval.IngestionRequestedEvent;
import dev.genaiplatform.retrieval.catalog.VectorStoreCatalog;
import dev.genaiplatform.retrieval.catalog.VectorStoreFileRow;
import dev.genaiplatform.retrieval.messaging.RetrievalEvents;
import dev.genaiplatform.retrieval.search.ChunkIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.UUID;

/**
 * At start-up, makes catalogue and index agree. A file still {@code in_progress} (the service stopped mid-way, or
 * its work item never reached Kafka) is requested again; a {@code completed} file whose chunks are missing (the
 * index folder was lost) goes back to {@code in_progress} and is requested again. Re-requesting is safe: the
 * pipeline ignores work that is no longer in progress, and a file is only ever visible whole.
 */
public final class IngestionRecovery {

    private static final Logger log = LoggerFactory.getLogger(IngestionRecovery.class);

    private final VectorStoreCatalog stores;
    private final ChunkIndex index;
    private final RetrievalEvents events;
    private final Clock clock;

    public IngestionRecovery(VectorStoreCatalog stores, ChunkIndex index, RetrievalEvents events, Clock clock) {
        this.stores = stores;
        this.index = index;
        this.events = events;
        this.clock = clock;
    }

    public int resume() {
        int requested = 0;
        for (VectorStoreFileRow row : stores.withStatus(VectorStoreFileRow.COMPLETED)) {
            if (index.count(IngestionPipeline.chunksOf(row.tenantId(), row.vectorStoreId(), row.fileId())) == 0) {
                stores.restart(row.vectorStoreId(), row.fileId()); // requested below with the others in progress
            }
        }
        for (VectorStoreFileRow row : stores.withStatus(VectorStoreFileRow.IN_PROGRESS)) {
            request(row);
            requested++;
        }
        if (requested > 0) {
            log.info("Requested ingestion again for {} file(s) left in progress or missing from the index", requested);
        }
        return requested;
    }

    private void request(VectorStoreFileRow row) {
        events.ingestionRequested(new IngestionRequestedEvent(UUID.randomUUID().toString(), clock.instant(), row.tenantId(),
                row.vectorStoreId(), row.fileId(), row.version(), null), null);
    }
}
