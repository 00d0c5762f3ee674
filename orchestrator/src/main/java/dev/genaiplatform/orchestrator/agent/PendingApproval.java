package dev.genaiplatform.orchestrator.agent;

import java.time.Instant;

/** A tool call of a run that tools-agent parked for a human decision, as the orchestrator keeps it. */
record PendingApproval(String approvalId, String runId, String tenantId, String stepId, String toolCallId,
                       String toolName, String arguments, String idempotencyKey, String status, Instant expiresAt,
                       String decidedBy, String reason, Instant decidedAt) {
}
