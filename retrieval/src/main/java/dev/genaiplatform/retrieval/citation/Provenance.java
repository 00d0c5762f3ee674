package dev.genaiplatform.retrieval.citation;

import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.retrieval.chunking.Chunk;
import org.springframework.ai.document.ContentFormatter;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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
    /** The file ({@code file-...}); absent for the built-in corpus. */
    public static final String FILE_ID = "fileId";
    /** The document version within its store that the offsets refer to. */
    public static final String FILE_VERSION = "fileVersion";
    /** The document's title: its first heading, or its file name. */
    public static final String TITLE = "title";
    /** When this version was indexed, epoch milliseconds. */
    public static final String AS_OF = "asOf";
    /** Hex SHA-256 of the source bytes: an unchanged document is not ingested again. */
    public static final String CONTENT_SHA256 = "contentSha256";

    // Access fields: every search filters on all three, in both legs (see search.AccessFilter).
    /** Owning tenant; {@link #PUBLIC_TENANT} for the built-in corpus every tenant may read. */
    public static final String TENANT = "tenant";
    /** The vector store the chunk belongs to (a file in two stores is indexed twice). */
    public static final String VECTOR_STORE_ID = "vectorStoreId";
    /** Access groups that may read the chunk; {@link #EVERYONE} when the file names none. */
    public static final String GROUPS = "groups";
    /** Prefix of user attributes ({@code attr.department}), the only keys a user's search filter may name. */
    public static final String ATTRIBUTE_PREFIX = "attr.";

    public static final String PUBLIC_TENANT = "_public";
    public static final String EVERYONE = "*";

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
        return toDocument(chunk, chunk.id(), Map.of());
    }

    /** A chunk with the metadata of its file version (access fields, title, version, attributes) added. */
    public static Document toDocument(Chunk chunk, String id, Map<String, Object> fileMetadata) {
        Map<String, Object> metadata = new LinkedHashMap<>(fileMetadata);
        metadata.put(DOCUMENT_PATH, chunk.documentPath());
        metadata.put(HEADING, chunk.headingPath());
        metadata.put(START_OFFSET, chunk.startOffset());
        metadata.put(END_OFFSET, chunk.endOffset());
        Document document = Document.builder().id(id).text(chunk.text()).metadata(metadata).build();
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
                document.getScore() == null ? 0.0 : document.getScore(),
                metadata.get(FILE_ID) instanceof String fileId ? fileId : null,
                metadata.get(FILE_VERSION) instanceof Number version ? version.intValue() : null,
                metadata.get(TITLE) instanceof String title ? title : null,
                metadata.get(AS_OF) instanceof Number asOf ? Instant.ofEpochMilli(asOf.longValue()) : null);
    }

    /** The tenant owning a found document ({@link #PUBLIC_TENANT} for the built-in corpus); null when absent. */
    public static String tenantOf(Document document) {
        Object tenant = document.getMetadata().get(TENANT);
        return tenant instanceof String name ? name : tenant instanceof List<?> names && !names.isEmpty()
                ? String.valueOf(names.getFirst()) : null;
    }

    private static int intValue(Object value) {
        if (value instanceof Number number) {
            return number.intValue();
        }
        throw new IllegalStateException("offset metadata missing or not a number: " + value);
    }
}
