package dev.genaiplatform.retrieval.ingest;

import dev.genaiplatform.contracts.retrieval.IngestionRequestedEvent;
import dev.genaiplatform.retrieval.catalog.StoredFile;
import dev.genaiplatform.retrieval.catalog.VectorStoreCatalog;
import dev.genaiplatform.retrieval.catalog.VectorStoreFileRow;
import dev.genaiplatform.retrieval.catalog.VectorStoreRow;
import dev.genaiplatform.retrieval.messaging.RetrievalEvents;
import dev.genaiplatform.retrieval.security.Caller;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Accepts a file into a store: records it {@code in_progress} in the catalogue, then puts the work item on
 * {@code retrieval.ingestion-requested.v1}. Idempotent: adding a file that is already in the store returns its
 * row and requests nothing. A file whose name is already in the store becomes the next version of that document.
 */
public final class IngestionRequests {

    private final VectorStoreCatalog stores;
    private final RetrievalEvents events;
    private final Clock clock;

    public IngestionRequests(VectorStoreCatalog stores, RetrievalEvents events, Clock clock) {
        this.stores = stores;
        this.events = events;
        this.clock = clock;
    }

    public VectorStoreFileRow add(Caller caller, VectorStoreRow store, StoredFile file, Map<String, Object> attributes,
                                  Map<String, Object> chunking, String batchId) {
        var existing = stores.findFile(caller.tenant(), store.id(), file.id());
        if (existing.isPresent()) {
            return existing.get();
        }
        Instant now = clock.instant();
        int version = stores.nextVersion(store.id(), file.filename());
        VectorStoreFileRow row = new VectorStoreFileRow(store.id(), file.id(), caller.tenant(), file.filename(), version,
                VectorStoreFileRow.IN_PROGRESS, null, 0, 0, 0, null, null, attributes == null ? Map.of() : attributes,
                chunking, batchId, now, null);
        if (stores.insertFile(row)) {
            stores.touch(store.id(), now);
            events.ingestionRequested(new IngestionRequestedEvent(UUID.randomUUID().toString(), now, caller.tenant(),
                    store.id(), file.id(), version, file.sha256()), caller.token());
        }
        return stores.findFile(caller.tenant(), store.id(), file.id()).orElseThrow();
    }
}
