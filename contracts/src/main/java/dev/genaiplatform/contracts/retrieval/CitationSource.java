package dev.genaiplatform.contracts.retrieval;

import java.time.Instant;

/**
 * The whole text of the document version a cited chunk was taken from, with the chunk's span in it: the answer of
 * {@code GET /api/retrieval/sources/{chunkId}} (ADR 0005), so a reader can open a citation at its exact place.
 *
 * @param chunkId      the cited chunk, as in {@link RetrievedChunk#chunkId()}
 * @param documentPath the file name, or the path of a built-in docs document
 * @param fileId       the file ({@code file-...}); null for the built-in docs corpus
 * @param fileVersion  the version of that file in its store; null for the built-in docs corpus
 * @param title        the document's title
 * @param heading      the heading path of the chunk's section
 * @param startOffset  start of the chunk in {@code text} (inclusive, characters)
 * @param endOffset    end of the chunk in {@code text} (exclusive, characters)
 * @param text         the whole text of that version (for HTML and PDF: the text extracted from it)
 * @param asOf         when that version was indexed
 */
public record CitationSource(String chunkId, String documentPath, String fileId, Integer fileVersion, String title,
                             String heading, int startOffset, int endOffset, String text, Instant asOf) {
}
