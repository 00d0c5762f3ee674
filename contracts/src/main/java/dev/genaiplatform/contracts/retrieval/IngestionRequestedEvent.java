package dev.genaiplatform.contracts.retrieval;

import java.time.Instant;

/**
 * A file version was added to a vector store and waits to be ingested. The record names the work; the tenant,
 * access groups and bytes are read from retrieval's catalogue by these ids, so a forged record can at most
 * re-run an ingestion that an authorised request already accepted.
 *
 * @param eventId       unique id of this event
 * @param occurredAt    when the file was added
 * @param tenantId      the owning tenant (for logs and partitioning; the catalogue is authoritative)
 * @param vectorStoreId the store ({@code vs_...})
 * @param fileId        the file ({@code file-...})
 * @param version       the document version within the store this file becomes (1 for a new filename)
 * @param contentSha256 hex SHA-256 of the file's bytes: the same bytes are never ingested twice
 */
public record IngestionRequestedEvent(String eventId, Instant occurredAt, String tenantId, String vectorStoreId,
                                      String fileId, int version, String contentSha256) {
}
