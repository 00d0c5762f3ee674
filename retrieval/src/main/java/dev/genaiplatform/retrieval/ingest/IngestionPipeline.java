package dev.genaiplatform.retrieval.ingest;

import dev.genaiplatform.contracts.retrieval.DocumentDeletedEvent;
import dev.genaiplatform.contracts.retrieval.IngestionProgressedEvent;
import dev.genaiplatform.contracts.retrieval.IngestionProgressedEvent.Stage;
import dev.genaiplatform.retrieval.catalog.AuditLog;
import dev.genaiplatform.retrieval.catalog.FileCatalog;
import dev.genaiplatform.retrieval.catalog.SourceTexts;
import dev.genaiplatform.retrieval.catalog.StoredFile;
import dev.genaiplatform.retrieval.catalog.VectorStoreCatalog;
import dev.genaiplatform.retrieval.catalog.VectorStoreFileRow;
import dev.genaiplatform.retrieval.chunking.Chunk;
import dev.genaiplatform.retrieval.chunking.ChunkingStrategies;
import dev.genaiplatform.retrieval.citation.Provenance;
import dev.genaiplatform.retrieval.messaging.RetrievalEvents;
import dev.genaiplatform.retrieval.search.ChunkIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One file version into the index: parse → chunk → embed → index, each step recorded in the catalogue and
 * announced as an {@link IngestionProgressedEvent}. The file becomes searchable in one atomic index commit that
 * also removes every older version of the same document in the store (never both versions, never neither);
 * until then nothing of it is visible. A failure leaves the file {@code failed} with OpenAI's error code and a
 * reason. Re-running the same work item is harmless: it does nothing unless the file is still in progress.
 */
public final class IngestionPipeline {

    private static final Logger log = LoggerFactory.getLogger(IngestionPipeline.class);
    private static final FilterExpressionBuilder WHERE = new FilterExpressionBuilder();

    private final FileCatalog files;
    private final VectorStoreCatalog stores;
    private final AuditLog audit;
    private final SourceTexts sourceTexts;
    private final DocumentParser parser;
    private final ChunkingStrategies strategies;
    private final ChunkIndex index;
    private final IndexMutations mutations;
    private final RetrievalEvents events;
    private final Clock clock;
    private final PassageJudging judging;

    public IngestionPipeline(FileCatalog files, VectorStoreCatalog stores, AuditLog audit, SourceTexts sourceTexts,
                             DocumentParser parser, ChunkingStrategies strategies, ChunkIndex index,
                             IndexMutations mutations, RetrievalEvents events, Clock clock) {
        this(files, stores, audit, sourceTexts, parser, strategies, index, mutations, events, clock, PassageJudging.off());
    }

    /** With guardrails judging each indexed version's passages once, after it is published. */
    public IngestionPipeline(FileCatalog files, VectorStoreCatalog stores, AuditLog audit, SourceTexts sourceTexts,
                             DocumentParser parser, ChunkingStrategies strategies, ChunkIndex index,
                             IndexMutations mutations, RetrievalEvents events, Clock clock, PassageJudging judging) {
        this.judging = judging;
        this.files = files;
        this.stores = stores;
        this.audit = audit;
        this.sourceTexts = sourceTexts;
        this.parser = parser;
        this.strategies = strategies;
        this.index = index;
        this.mutations = mutations;
        this.events = events;
        this.clock = clock;
    }

    /** Chunks of one version of one file in one store. */
    public static Filter.Expression chunksOf(String tenant, String storeId, String fileId) {
        return WHERE.and(WHERE.and(WHERE.eq(Provenance.TENANT, tenant), WHERE.eq(Provenance.VECTOR_STORE_ID, storeId)),
                WHERE.eq(Provenance.FILE_ID, fileId)).build();
    }

    /** Every version of a document (a file name) in a store. */
    static Filter.Expression documentInStore(String tenant, String storeId, String documentKey) {
        return WHERE.and(WHERE.and(WHERE.eq(Provenance.TENANT, tenant), WHERE.eq(Provenance.VECTOR_STORE_ID, storeId)),
                WHERE.eq(Provenance.DOCUMENT_PATH, documentKey)).build();
    }

    public void ingest(String storeId, String fileId, int version) {
        ingest(storeId, fileId, version, null);
    }

    /** @param token the uploader's internal token if the work item carried one, for guardrails' verdict events */
    public void ingest(String storeId, String fileId, int version, String token) {
        VectorStoreFileRow row = stores.findFileForIngestion(storeId, fileId).orElse(null);
        if (row == null || !VectorStoreFileRow.IN_PROGRESS.equals(row.status()) || row.version() != version) {
            return; // deleted, already finished, or an outdated work item
        }
        try {
            if (stores.newerVersionIndexed(storeId, row.documentKey(), row.version())) {
                stores.failed(storeId, fileId, "server_error", "A newer version of '" + row.documentKey() + "' is already indexed");
                return;
            }
            StoredFile file = files.find(row.tenantId(), fileId).orElseThrow(() -> new UnreadableDocumentException(
                    UnreadableDocumentException.INVALID_FILE, "The file was deleted", null));
            DocumentParser.ParsedDocument parsed = parser.parse(file.filename(), files.content(row.tenantId(), fileId));
            progress(row, Stage.PARSED, 0, 0);
            List<Chunk> chunks = strategies.chunker(row.chunking()).chunk(row.documentKey(), parsed.text());
            if (chunks.isEmpty()) {
                throw new UnreadableDocumentException(UnreadableDocumentException.INVALID_FILE, "The file contains no text", null);
            }
            progress(row, Stage.CHUNKED, 0, chunks.size());
            Instant asOf = clock.instant();
            List<Document> documents = toDocuments(row, file, parsed, chunks, asOf);
            var prepared = index.prepare(documents, done -> progress(row, Stage.EMBEDDED, done, chunks.size()));
            boolean published = mutations.exclusively(() -> {
                VectorStoreFileRow current = stores.findFileForIngestion(storeId, fileId).orElse(null);
                if (current == null || !VectorStoreFileRow.IN_PROGRESS.equals(current.status())) {
                    return false; // deleted while it was being embedded
                }
                // the text citations open goes in first: a chunk that can be found always has its source
                sourceTexts.save(row.tenantId(), storeId, fileId, row.version(), parsed.text());
                index.replace(documentInStore(row.tenantId(), storeId, row.documentKey()), prepared);
                stores.completed(storeId, fileId, chunks.size(), parsed.text().length() * 2L, asOf);
                return true;
            });
            if (published) {
                progress(row, Stage.INDEXED, chunks.size(), chunks.size());
                supersedeOlderVersions(row);
                judging.judgeLater(storeId + "/" + fileId + ":v" + row.version(), row.tenantId(),
                        chunks.stream().map(Chunk::text).toList(), token);
                log.info("Indexed {} v{} in {} as {} chunks", fileId, row.version(), storeId, chunks.size());
            }
        } catch (UnreadableDocumentException e) {
            fail(row, e.code(), e.getMessage());
        } catch (IllegalArgumentException e) {
            fail(row, UnreadableDocumentException.INVALID_FILE, e.getMessage());
        } catch (RuntimeException e) {
            log.error("Ingestion of {} into {} failed", fileId, storeId, e);
            fail(row, "server_error", "Ingestion failed: " + e.getClass().getSimpleName());
        }
    }

    private List<Document> toDocuments(VectorStoreFileRow row, StoredFile file, DocumentParser.ParsedDocument parsed,
                                       List<Chunk> chunks, Instant asOf) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(Provenance.TENANT, row.tenantId());
        metadata.put(Provenance.VECTOR_STORE_ID, row.vectorStoreId());
        metadata.put(Provenance.FILE_ID, row.fileId());
        metadata.put(Provenance.FILE_VERSION, row.version());
        metadata.put(Provenance.TITLE, parsed.title());
        metadata.put(Provenance.AS_OF, asOf.toEpochMilli());
        metadata.put(Provenance.CONTENT_SHA256, file.sha256());
        metadata.put(Provenance.GROUPS, file.accessGroups().isEmpty() ? List.of(Provenance.EVERYONE) : file.accessGroups());
        row.attributes().forEach((key, value) -> metadata.put(Provenance.ATTRIBUTE_PREFIX + key, AttributeValues.normalise(value)));
        List<Document> documents = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            documents.add(Provenance.toDocument(chunks.get(i), row.vectorStoreId() + "/" + row.fileId() + "#" + i, metadata));
        }
        return documents;
    }

    private void supersedeOlderVersions(VectorStoreFileRow row) {
        for (VectorStoreFileRow older : stores.olderVersions(row.vectorStoreId(), row.documentKey(), row.version())) {
            stores.deleteFile(older.vectorStoreId(), older.fileId());
            Instant now = clock.instant();
            audit.record(new AuditLog.Entry(now, row.tenantId(), null, null, "vector_store.file.superseded",
                    older.fileId(), "store " + row.vectorStoreId() + ": v" + older.version() + " replaced by " + row.fileId() + " v" + row.version()
                    + "; its chunks and source text deleted"));
            events.documentDeleted(new DocumentDeletedEvent(UUID.randomUUID().toString(), now, row.tenantId(),
                    older.fileId(), older.version(), DocumentDeletedEvent.Reason.SUPERSEDED, null), null);
        }
    }

    private void progress(VectorStoreFileRow row, Stage stage, int done, int total) {
        stores.progress(row.vectorStoreId(), row.fileId(), stage.name(), done, total);
        events.ingestionProgressed(new IngestionProgressedEvent(UUID.randomUUID().toString(), clock.instant(),
                row.tenantId(), row.vectorStoreId(), row.fileId(), row.version(), stage, done, total, null, null));
    }

    private void fail(VectorStoreFileRow row, String code, String message) {
        log.info("Ingestion of {} into {} failed: {} {}", row.fileId(), row.vectorStoreId(), code, message);
        stores.failed(row.vectorStoreId(), row.fileId(), code, message);
        events.ingestionProgressed(new IngestionProgressedEvent(UUID.randomUUID().toString(), clock.instant(),
                row.tenantId(), row.vectorStoreId(), row.fileId(), row.version(), Stage.FAILED, 0, 0, code, message));
    }
}
