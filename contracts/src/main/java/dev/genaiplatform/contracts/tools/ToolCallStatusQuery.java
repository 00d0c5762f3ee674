package dev.genaiplatform.contracts.tools;

/**
 * Asks what became of a call, by its idempotency key: what an agent sends after a timeout before it decides to
 * retry (reconciliation). Scoped to the tenant of the token on the record.
 *
 * @param requestId      the request asking, for logs
 * @param idempotencyKey the key the call was sent with
 */
public record ToolCallStatusQuery(String requestId, String idempotencyKey) {
}
