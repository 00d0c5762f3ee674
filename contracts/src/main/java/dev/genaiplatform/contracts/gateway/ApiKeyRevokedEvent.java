package dev.genaiplatform.contracts.gateway;

import java.time.Instant;

/**
 * An API key was revoked (or rotated away). Every gateway instance drops the key from its cache on this event,
 * so a revocation takes effect everywhere within about a second, not at the next cache refresh.
 *
 * @param eventId    unique id of this event (consumers use it to drop duplicates)
 * @param occurredAt when the key was revoked
 * @param tenantId   the tenant that owned the key
 * @param keyId      the key's id (the first 16 hex characters of its SHA-256), never the key
 * @param actor      the key id of the admin who revoked it, for the audit trail; null for the system
 */
public record ApiKeyRevokedEvent(String eventId, Instant occurredAt, String tenantId, String keyId, String actor) {
}
