package dev.genaiplatform.contracts.tools;

import java.time.Instant;

/**
 * What a decision on a pending call led to: the reply to a {@link DecideToolApprovalCommand}, and an event on
 * {@code tools.approval-decided.v1} for every decision, whichever way it arrived.
 *
 * @param approvalId the approval decided
 * @param runId      the agent run of the call, if any, so the run can resume
 * @param stepId     its step, if any
 * @param decision   the recorded decision (for a repeated decision: the first one)
 * @param reason     the recorded reason
 * @param decidedBy  the approver ({@code usr} claim, else the key id)
 * @param decidedAt  when it was recorded
 * @param outcome    the call's outcome: SUCCEEDED or FAILED after an approval, APPROVAL_DENIED, APPROVAL_EXPIRED
 * @param accepted   false when this decision changed nothing: the approval was already decided the other way,
 *                   had expired, or is not the caller's tenant's (then everything else but {@code approvalId} is null)
 * @param message    why not accepted, in words; null when accepted
 */
public record ToolApprovalDecidedEvent(String approvalId, String runId, String stepId,
                                       DecideToolApprovalCommand.Decision decision, String reason, String decidedBy,
                                       Instant decidedAt, ToolInvokedReply outcome, boolean accepted, String message) {
}
