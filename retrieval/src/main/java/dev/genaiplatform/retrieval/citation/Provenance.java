package dev.genaiplatform.retrieval.citation;

import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.retrieval.chunking.Chunk;
import org.springframework.ai.document.ContentFormatter;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;

import java.util.Map;

/**
 * Where a passage comes from, carried as Spring AI {@link Document} metadata through the vector store and
 * handed out as a {@link RetrievedChunk}: document path, heading path and exact character offsets, so that a
 * citation can point a reader at the very span the answer was grounded in.
 */
public final class Provenance {

    /** Path of the source document relative to the ingested folder; also the key to filter or delete by. */
    public static final String DOCUMENT_PATH = "documentPath";
    /** Heading path of the passage, {@code Title > Section}. */
    public static final String HEADING = "heading";
    /** Inclusive start offset of the passage in the source. */
    public static final String START_OFFSET = "startOffset";
    /** Exclusive end offset of the passage in the source. */
    public static final String END_OFFSET = "endOffset";

    /**
     * What gets embedded and indexed for BM25: the heading path, then the passage. A piece of a long section
     * has no heading line of its own; the path tells the model (and BM25) what it is about. Prompts
     * ({@link MetadataMode#INFERENCE}) and citations get the passage alone.
     */
    private static final ContentFormatter HEADING_THEN_TEXT = (document, mode) -> {
        String heading = String.valueOf(document.getMetadata().getOrDefault(HEADING, ""));
        String text = document.getText() == null ? "" : document.getText();
        return mode == MetadataMode.EMBED && !heading.isEmpty() ? heading + "\n\n" + text : text;
    };

    private Provenance() {
    }

    /** A chunk as a Spring AI document, id = chunk id. */
    public static Document toDocument(Chunk chunk) {
        Document document = Document.builder()
                .id(chunk.id())
                .text(chunk.text())
                .metadata(Map.of(
                        DOCUMENT_PATH, chunk.documentPath(),
                        HEADING, chunk.headingPath(),
                        START_OFFSET, chunk.startOffset(),
                        END_OFFSET, chunk.endOffset()))
                .build();
        document.setContentFormatter(HEADING_THEN_TEXT);
        return document;
    }

    /** A found document as the platform's wire record; the score is the document's (fused) score. */
    public static RetrievedChunk toRetrievedChunk(Document document) {
        Map<String, Object> metadata = document.getMetadata();
        return new RetrievedChunk(document.getId(),
                String.valueOf(metadata.get(DOCUMENT_PATH)),
                String.valueOf(metadata.getOrDefault(HEADING, "")),
                intValue(metadata.get(START_OFFSET)),
                intValue(metadata.get(END_OFFSET)),
                document.getText(),
                document.getScore() == null ? 0.0 : document.getScore());
    }

    private static int intValue(Object value) {
        if (value instanceof Number number) {
            return number.intValue();
        }
        throw new IllegalStateException("offset metadata missing or not a number: " + value);
    }
}
