package dev.genaiplatform.contracts.tools;

import java.time.Instant;
import java.util.List;

/**
 * A tool call was stopped for a human decision. It runs only after an approval arrives, exactly once, with the
 * arguments shown here. Carries the token of the request that asked (header {@code platform-auth}).
 *
 * @param approvalId     what to approve or deny ({@code tools.decide-approval.v1} or {@code POST /api/tools/approvals/{id}})
 * @param callId         the ledger's id of the call
 * @param idempotencyKey the call's key
 * @param runId          the agent run, if any
 * @param stepId         its step, if any
 * @param requestId      the request that asked
 * @param toolName       the tool
 * @param riskTier       the tool's tier
 * @param argumentsJson  the exact arguments that will run
 * @param provenance     where the instruction came from, as the caller reported it
 * @param requestedBy    the end user of the asking request ({@code usr} claim), or the key id without one
 * @param requestedAt    when the call arrived
 * @param expiresAt      after this the call is {@code APPROVAL_EXPIRED} and can no longer be approved
 */
public record ToolApprovalRequestedEvent(String approvalId, String callId, String idempotencyKey, String runId,
                                         String stepId, String requestId, String toolName, RiskTier riskTier,
                                         String argumentsJson, List<InstructionSource> provenance, String requestedBy,
                                         Instant requestedAt, Instant expiresAt) {
}
