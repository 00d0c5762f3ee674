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
 */
public record RetrievedChunk(String chunkId, String documentPath, String heading, int startOffset, int endOffset,
                             String text, double score) {
}
