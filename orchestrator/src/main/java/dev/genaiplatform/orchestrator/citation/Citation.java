package dev.genaiplatform.orchestrator.citation;

/**
 * One passage the answer cites, with enough provenance for a reader to open the source.
 *
 * @param index        the number the answer uses, {@code [index]}
 * @param chunkId      the chunk's id in the retrieval index
 * @param documentPath the source document
 * @param heading      the section heading path in that document
 * @param startOffset  where the passage starts in the document (characters, inclusive)
 * @param endOffset    where it ends (characters, exclusive)
 * @param score        the retrieval score, comparable only within one answer
 */
public record Citation(int index, String chunkId, String documentPath, String heading, int startOffset,
                       int endOffset, double score) {
}
