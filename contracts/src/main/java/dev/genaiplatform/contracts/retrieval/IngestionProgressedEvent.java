package dev.genaiplatform.contracts.retrieval;

import java.time.Instant;

/**
 * One step of an ingestion finished, or the ingestion failed. Steps come in order: PARSED, CHUNKED, EMBEDDED (may
 * repeat as batches finish, with {@code chunksDone} growing), INDEXED; or FAILED at any point. A file becomes
 * searchable, all of it at once, only with INDEXED.
 *
 * @param eventId       unique id of this event
 * @param occurredAt    when the step finished
 * @param tenantId      the owning tenant
 * @param vectorStoreId the store
 * @param fileId        the file
 * @param version       the document version being ingested
 * @param stage         the step that finished
 * @param chunksDone    chunks embedded so far (0 before EMBEDDED)
 * @param chunksTotal   chunks the file was cut into (0 before CHUNKED)
 * @param errorCode     for FAILED: {@code invalid_file}, {@code unsupported_file} or {@code server_error}; else null
 * @param errorMessage  for FAILED: the reason, for people; else null
 */
public record IngestionProgressedEvent(String eventId, Instant occurredAt, String tenantId, String vectorStoreId,
                                       String fileId, int version, Stage stage, int chunksDone, int chunksTotal,
                                       String errorCode, String errorMessage) {

    public enum Stage {
        PARSED, CHUNKED, EMBEDDED, INDEXED, FAILED
    }
}
