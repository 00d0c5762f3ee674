package dev.genaiplatform.contracts.retrieval;

import java.time.Instant;

/**
 * A file version left the index: deleted by a user, or superseded by a new version of the same file. Whatever
 * holds text derived from it (answer caches, semantic caches, conversation memory) must drop it on this event.
 *
 * @param eventId    unique id of this event (consumers use it to drop duplicates)
 * @param occurredAt when the version left the index
 * @param tenantId   the tenant that owned the file
 * @param fileId     the file ({@code file-...}), or the document path for the built-in corpus
 * @param version    the version that left
 * @param reason     why it left
 * @param actor      who caused it (the API key id), for the audit trail; null for the system
 */
public record DocumentDeletedEvent(String eventId, Instant occurredAt, String tenantId, String fileId, int version,
                                   Reason reason, String actor) {

    public enum Reason {
        /** The file was deleted. */
        DELETED,
        /** A new version of the file replaced this one. */
        SUPERSEDED
    }
}
