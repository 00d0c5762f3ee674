package dev.genaiplatform.contracts.tools;

import java.time.Instant;

/**
 * The outcome of an {@link InvokeToolCommand}: at most one of {@code resultJson} and {@code error} is set.
 *
 * @param requestId         the request this invocation belongs to
 * @param toolName          the tool that was asked for
 * @param status            whether it ran, and if not, why
 * @param resultJson        the tool's result as JSON when it succeeded
 * @param error             a message fit to show a model or a user when it did not
 * @param tookMillis        time the tool took (0 when it did not run)
 * @param idempotencyKey    the key the call is recorded under in the ledger (the caller's, or one made for it)
 * @param callId            the ledger's id of the call
 * @param approvalId        set when the call waits (or waited) for a human: the id to approve or deny
 * @param approvalExpiresAt when that approval request expires
 * @param replayed          true when this outcome was recorded earlier and is sent again for a repeated key: the
 *                          tool did not run again
 */
public record ToolInvokedReply(String requestId, String toolName, Status status, String resultJson, String error,
                               long tookMillis, String idempotencyKey, String callId, String approvalId,
                               Instant approvalExpiresAt, boolean replayed) {

    public ToolInvokedReply(String requestId, String toolName, Status status, String resultJson, String error,
                            long tookMillis) {
        this(requestId, toolName, status, resultJson, error, tookMillis, null, null, null, null, false);
    }

    public enum Status {
        SUCCEEDED,
        /** No tool of that name is registered. */
        UNKNOWN_TOOL,
        /** The arguments do not satisfy the tool's JSON schema, or the tool refused them. */
        INVALID_ARGUMENTS,
        /** The tool ran and failed (e.g. division by zero). Nothing of it was kept. */
        FAILED,
        /** The policy does not let this tenant or key call this tool. */
        DENIED,
        /** Not run: the call waits for a human decision on {@code approvalId}. */
        PENDING_APPROVAL,
        /** Not run: a human denied it. */
        APPROVAL_DENIED,
        /** Not run: nobody decided before the approval expired. */
        APPROVAL_EXPIRED,
        /** The tool did not finish in time; it was cancelled and rolled back unless it finished at that instant: ask the call status. */
        TIMED_OUT,
        /** Another delivery of the same key is running right now; ask the call status later. */
        IN_PROGRESS,
        /** The key was used before for another tool or other arguments; nothing ran. */
        IDEMPOTENCY_KEY_REUSED
    }
}
