package dev.genaiplatform.contracts.gateway;

import java.time.Instant;

/**
 * A tenant's limits (request rate, token and money budgets) were changed through the admin API. Every gateway
 * instance drops the tenant's keys from its cache on this event, so the new limits apply everywhere within about
 * a second, not at the next cache refresh. The event names the tenant only; the limits are read from the store.
 *
 * @param eventId    unique id of this event (consumers use it to drop duplicates)
 * @param occurredAt when the limits were changed
 * @param tenantId   the tenant whose limits changed
 * @param actor      the key id of the admin who changed them, for the audit trail; null for the system
 */
public record TenantLimitsChangedEvent(String eventId, Instant occurredAt, String tenantId, String actor) {
}
