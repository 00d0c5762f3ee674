package dev.genaiplatform.contracts.tools;

import java.time.Instant;

/**
 * The answer to a {@link ToolCallStatusQuery}.
 *
 * @param requestId      the request that asked
 * @param idempotencyKey the key asked about
 * @param state          what the ledger knows
 * @param outcome        the recorded outcome when {@code COMPLETED} or {@code PENDING_APPROVAL}; else null
 * @param updatedAt      when the ledger last changed the call; null when {@code UNKNOWN}
 */
public record ToolCallStatusReport(String requestId, String idempotencyKey, State state, ToolInvokedReply outcome,
                                   Instant updatedAt) {

    public enum State {
        /** No call with this key reached the ledger: sending it (again) is safe. */
        UNKNOWN,
        /** Received, but no attempt holds it and nothing took effect (a crash or timeout rolled it back): resending the same key runs it. */
        NOT_EXECUTED,
        /** An attempt is running right now: wait, then ask again. */
        IN_PROGRESS,
        /** Waits for a human decision. */
        PENDING_APPROVAL,
        /** Finished; {@code outcome} says how. Resending the same key returns it without running anything. */
        COMPLETED
    }
}
