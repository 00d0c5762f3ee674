package dev.genaiplatform.contracts.retrieval;

/**
 * A passage found by retrieval, with enough provenance for a citation a reader can follow.
 *
 * @param chunkId      stable id of the chunk in the index
 * @param documentPath path of the source document, relative to the ingested folder (e.g. {@code architecture.md})
 * @param heading      the heading path of the section the chunk comes from (e.g. {@code Architecture > Kafka})
 * @param startOffset  start offset (inclusive) of the chunk in the source document, in characters
 * @param endOffset    end offset (exclusive) of the chunk in the source document, in characters
 * @param text         the chunk text
 * @param score        the fused rank score; higher is better, comparable only within one result
 * @param fileId       the file the chunk comes from ({@code file-...}); null for the built-in docs corpus
 * @param fileVersion  the version of that file the offsets refer to (1 for the first upload)
 * @param title        the document's title, for the citation
 * @param asOf         when that file version was indexed: the answer is true as of then
 * @param verdict      guardrails' verdict about the text as untrusted data, judged when it was indexed; null when
 *                     it was indexed without one (guardrails unavailable then, or judging switched off)
 */
public record RetrievedChunk(String chunkId, String documentPath, String heading, int startOffset, int endOffset,
                             String text, double score, String fileId, Integer fileVersion, String title,
                             java.time.Instant asOf, dev.genaiplatform.contracts.guardrails.PassageVerdict verdict) {

    /** A chunk without a stored verdict. */
    public RetrievedChunk(String chunkId, String documentPath, String heading, int startOffset, int endOffset,
                          String text, double score, String fileId, Integer fileVersion, String title,
                          java.time.Instant asOf) {
        this(chunkId, documentPath, heading, startOffset, endOffset, text, score, fileId, fileVersion, title, asOf,
                null);
    }

    /** The same chunk with another text (fenced, say); the verdict stays. */
    public RetrievedChunk withText(String newText) {
        return new RetrievedChunk(chunkId, documentPath, heading, startOffset, endOffset, newText, score, fileId,
                fileVersion, title, asOf, verdict);
    }

    /** A chunk of the built-in corpus, without file provenance. */
    public RetrievedChunk(String chunkId, String documentPath, String heading, int startOffset, int endOffset,
                          String text, double score) {
        this(chunkId, documentPath, heading, startOffset, endOffset, text, score, null, null, null, null, null);
    }
}
