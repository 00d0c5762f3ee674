package dev.genaiplatform.retrieval.ingest;

import dev.genaiplatform.contracts.retrieval.DocumentDeletedEvent;
import dev.genaiplatform.retrieval.catalog.AuditLog;
import dev.genaiplatform.retrieval.catalog.FileCatalog;
import dev.genaiplatform.retrieval.catalog.VectorStoreCatalog;
import dev.genaiplatform.retrieval.catalog.VectorStoreFileRow;
import dev.genaiplatform.retrieval.citation.Provenance;
import dev.genaiplatform.retrieval.messaging.RetrievalEvents;
import dev.genaiplatform.retrieval.search.ChunkIndex;
import dev.genaiplatform.retrieval.security.Caller;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Deleting is verified forgetting: the chunks leave the index (committed, so a restart does not bring them back)
 * in the same critical section as the catalogue rows (and with them, by cascade, the source texts citations open),
 * an audit record says who removed what and when, and a
 * {@link DocumentDeletedEvent} per removed file version tells caches and memories to drop what they derived
 * from it, carrying the deleting request's token.
 */
public final class DocumentRemoval {

    private static final FilterExpressionBuilder WHERE = new FilterExpressionBuilder();

    private final FileCatalog files;
    private final VectorStoreCatalog stores;
    private final AuditLog audit;
    private final ChunkIndex index;
    private final IndexMutations mutations;
    private final RetrievalEvents events;
    private final Clock clock;

    public DocumentRemoval(FileCatalog files, VectorStoreCatalog stores, AuditLog audit, ChunkIndex index,
                           IndexMutations mutations, RetrievalEvents events, Clock clock) {
        this.files = files;
        this.stores = stores;
        this.audit = audit;
        this.index = index;
        this.mutations = mutations;
        this.events = events;
        this.clock = clock;
    }

    /** Removes a file from one store; false if it was not in it. */
    public boolean removeFromStore(Caller caller, String storeId, String fileId) {
        VectorStoreFileRow row = stores.findFile(caller.tenant(), storeId, fileId).orElse(null);
        if (row == null) {
            return false;
        }
        mutations.exclusively(() -> {
            stores.deleteFile(storeId, fileId);
            index.delete(IngestionPipeline.chunksOf(caller.tenant(), storeId, fileId));
            return null;
        });
        announce(caller, "vector_store.file.deleted", fileId, "from store " + storeId + ": chunks and source text deleted", List.of(row));
        return true;
    }

    /** Deletes a file, its bytes and its chunks in every store; false if the tenant has no such file. */
    public boolean deleteFile(Caller caller, String fileId) {
        if (files.find(caller.tenant(), fileId).isEmpty()) {
            return false;
        }
        List<VectorStoreFileRow> rows = stores.rowsOfFile(caller.tenant(), fileId);
        mutations.exclusively(() -> {
            files.delete(caller.tenant(), fileId); // cascades to its store rows
            index.delete(WHERE.and(WHERE.eq(Provenance.TENANT, caller.tenant()), WHERE.eq(Provenance.FILE_ID, fileId)).build());
            return null;
        });
        announce(caller, "file.deleted", fileId, rows.size() + " store(s): bytes, chunks and source texts deleted", rows);
        return true;
    }

    /** Deletes a store and every chunk in it; false if the tenant has no such store. */
    public boolean deleteStore(Caller caller, String storeId) {
        if (stores.find(caller.tenant(), storeId).isEmpty()) {
            return false;
        }
        List<VectorStoreFileRow> rows = stores.listFiles(caller.tenant(), storeId, null, null);
        mutations.exclusively(() -> {
            stores.delete(caller.tenant(), storeId);
            index.delete(WHERE.and(WHERE.eq(Provenance.TENANT, caller.tenant()), WHERE.eq(Provenance.VECTOR_STORE_ID, storeId)).build());
            return null;
        });
        announce(caller, "vector_store.deleted", storeId, rows.size() + " file(s): chunks and source texts deleted", rows);
        return true;
    }

    private void announce(Caller caller, String action, String target, String detail, List<VectorStoreFileRow> removed) {
        Instant now = clock.instant();
        audit.record(new AuditLog.Entry(now, caller.tenant(), caller.keyId(), caller.user(), action, target, detail));
        for (VectorStoreFileRow row : removed) {
            events.documentDeleted(new DocumentDeletedEvent(UUID.randomUUID().toString(), now, caller.tenant(), row.fileId(),
                    row.version(), DocumentDeletedEvent.Reason.DELETED, caller.keyId()), caller.token());
        }
    }
}
