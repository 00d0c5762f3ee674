package dev.genaiplatform.tools.ledger;

import dev.genaiplatform.contracts.tools.ToolInvokedReply;

import java.time.Instant;
import java.util.UUID;

/** One row of the ledger: a call, what became of it, and its approval if it needed one. */
public record LedgerEntry(UUID callId, String tenant, String idempotencyKey, String toolName, String argumentsJson,
                          String requestId, String runId, String stepId, String keyId, String endUser,
                          String requestedRid, String provenanceJson, State state, ToolInvokedReply.Status status,
                          String resultJson, String error, long tookMillis, int deliveries, int executions,
                          UUID approvalId, Instant approvalExpiresAt, String decision, String decisionReason,
                          String decidedBy, Instant decidedAt, Instant createdAt, Instant updatedAt) {

    public enum State {
        /** Arrived; not run yet (or its run was rolled back). */
        RECEIVED,
        /** Waits for a human. */
        PENDING_APPROVAL,
        /** A human approved; runs next (also after a restart). */
        APPROVED,
        /** Finished: {@code status} says how. */
        COMPLETED
    }

    public boolean approvalExpired(Instant now) {
        return state == State.PENDING_APPROVAL && approvalExpiresAt != null && now.isAfter(approvalExpiresAt);
    }

    /** The reply this entry stands for, e.g. for a replayed delivery. */
    public ToolInvokedReply reply(String askingRequestId, boolean replayed) {
        return new ToolInvokedReply(askingRequestId != null ? askingRequestId : requestId, toolName, status,
                resultJson, error, tookMillis, idempotencyKey, callId.toString(),
                approvalId == null ? null : approvalId.toString(), approvalExpiresAt, replayed);
    }
}
