package dev.genaiplatform.retrieval.ingest;

import java.time.Instant;
import java.util.List;

/** What the last ingestion indexed, for {@code GET /api/retrieval/documents} and the index gauges. */
public final class DocumentCatalog {

    /**
     * @param documentPath as in citations
     * @param chunks       how many chunks the document became
     * @param characters   the document's length
     */
    public record IndexedDocument(String documentPath, int chunks, int characters) {
    }

    /**
     * @param documents   sorted by path
     * @param chunks      chunks over all documents
     * @param ingestMillis time to read, chunk, embed and index them
     * @param indexedAt   when ingestion finished; null before the first one
     */
    public record Snapshot(List<IndexedDocument> documents, int chunks, long ingestMillis, Instant indexedAt) {
    }

    private volatile Snapshot snapshot = new Snapshot(List.of(), 0, 0, null);

    public Snapshot snapshot() {
        return snapshot;
    }

    void replace(List<IndexedDocument> documents, long ingestMillis) {
        int chunks = documents.stream().mapToInt(IndexedDocument::chunks).sum();
        snapshot = new Snapshot(List.copyOf(documents), chunks, ingestMillis, Instant.now());
    }
}
