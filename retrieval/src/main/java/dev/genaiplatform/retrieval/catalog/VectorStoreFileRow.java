package dev.genaiplatform.retrieval.catalog;

import java.time.Instant;
import java.util.Map;

/**
 * A file in a vector store: its ingestion state and the document version it is.
 *
 * @param documentKey the file name: files with the same name in one store are versions of one document
 * @param status      {@code in_progress}, {@code completed}, {@code failed} or {@code cancelled} (OpenAI's values)
 * @param stage       the last ingestion step finished (PARSED ... INDEXED, FAILED), null before the first
 */
public record VectorStoreFileRow(String vectorStoreId, String fileId, String tenantId, String documentKey, int version,
                                 String status, String stage, int chunksDone, int chunksTotal, long usageBytes,
                                 String errorCode, String errorMessage, Map<String, Object> attributes,
                                 Map<String, Object> chunking, String batchId, Instant createdAt, Instant indexedAt) {

    public static final String IN_PROGRESS = "in_progress";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
}
