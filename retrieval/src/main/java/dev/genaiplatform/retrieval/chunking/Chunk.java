package dev.genaiplatform.retrieval.chunking;

/**
 * One retrievable passage of a source document.
 *
 * @param id           {@code <documentPath>#<ordinal>}, the ordinal counting chunks within the document from 0
 * @param documentPath the document's path relative to the ingested folder, '/'-separated
 * @param headingPath  the headings above the passage, outermost first: {@code Title > Section > Subsection};
 *                     empty for text before the first heading
 * @param startOffset  first character of the passage in the source (inclusive), in UTF-16 chars of the file
 *                     decoded as UTF-8, exactly as {@code Files.readString} returns it
 * @param endOffset    end of the passage (exclusive): {@code source.substring(startOffset, endOffset).equals(text)}
 * @param text         the passage itself, including its heading line when it starts a section
 */
public record Chunk(String id, String documentPath, String headingPath, int startOffset, int endOffset, String text) {
}
