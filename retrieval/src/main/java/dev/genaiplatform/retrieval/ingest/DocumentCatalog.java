package dev.genaiplatform.retrieval.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /**
     * The text of one public corpus document as indexed, which its chunks' offsets index into.
     *
     * @param sha256 hex SHA-256 of the text, as in each chunk's {@code contentSha256}
     */
    public record CorpusText(String sha256, String text) {
    }

    private volatile Snapshot snapshot = new Snapshot(List.of(), 0, 0, null);
    private volatile Map<String, CorpusText> texts = Map.of();

    public Snapshot snapshot() {
        return snapshot;
    }

    /** The indexed text of a public corpus document, by its path. */
    public Optional<CorpusText> text(String documentPath) {
        return Optional.ofNullable(texts.get(documentPath));
    }

    void replace(List<IndexedDocument> documents, Map<String, CorpusText> texts, long ingestMillis) {
        this.texts = Map.copyOf(texts);
        int chunks = documents.stream().mapToInt(IndexedDocument::chunks).sum();
        snapshot = new Snapshot(List.copyOf(documents), chunks, ingestMillis, Instant.now());
    }
}
