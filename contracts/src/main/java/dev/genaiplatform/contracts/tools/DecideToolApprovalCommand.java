package dev.genaiplatform.contracts.tools;

/**
 * A human's decision on a pending tool call. The token on the record (header {@code platform-auth}) must belong
 * to the call's tenant, hold scope {@code agent}, and come from another gateway request than the one that asked
 * for the call: an agent cannot approve its own call with the token it acts on.
 *
 * @param requestId  the request carrying the decision, for logs
 * @param approvalId the approval to decide
 * @param decision   approve or deny
 * @param reason     why, in the approver's words (recorded)
 */
public record DecideToolApprovalCommand(String requestId, String approvalId, Decision decision, String reason) {

    public enum Decision {
        APPROVE,
        DENY
    }
}
