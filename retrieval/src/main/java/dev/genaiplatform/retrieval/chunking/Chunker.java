package dev.genaiplatform.retrieval.chunking;

import java.util.List;

/**
 * Cuts a document's text into passages, each with exact offsets:
 * {@code text.substring(chunk.startOffset(), chunk.endOffset()).equals(chunk.text())}.
 */
public interface Chunker {

    List<Chunk> chunk(String documentPath, String text);
}
