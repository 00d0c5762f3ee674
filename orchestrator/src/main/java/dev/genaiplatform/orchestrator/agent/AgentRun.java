package dev.genaiplatform.orchestrator.agent;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A run as stored: what it was asked, its budget, what it has used, and where it stands.
 *
 * @param tools the definitions offered to the model, fetched from tools-agent when the run started
 */
record AgentRun(String id, String tenantId, String createdBy, String goal, String model, List<ToolSpec> tools,
                Transcript transcript, Budget budget, RunStatus status, String errorCode, String errorMessage,
                String answer, int stepsUsed, int tokensUsed, BigDecimal costUsd, long wallUsedMs,
                Instant createdAt, Instant updatedAt) {

    /** A tool as offered to the model: the name, what it does, and its JSON schema (as JSON text). */
    record ToolSpec(String name, String description, String inputSchema) {
    }

    record Budget(int maxSteps, int maxTokens, BigDecimal maxCostUsd, long maxWallMs) {

        /** Which limit a run with this much used has reached, in words; null when none. Checked before each model call. */
        String exceeded(int steps, int tokens, BigDecimal costUsd, long wallMs) {
            if (steps >= this.maxSteps) {
                return "max steps (" + this.maxSteps + ") reached";
            }
            if (tokens >= this.maxTokens) {
                return "max tokens (" + this.maxTokens + ") reached: " + tokens + " used";
            }
            if (costUsd.compareTo(this.maxCostUsd) >= 0) {
                return "max cost (" + this.maxCostUsd.stripTrailingZeros().toPlainString() + " USD) reached: "
                        + costUsd.stripTrailingZeros().toPlainString() + " USD used";
            }
            if (wallMs >= this.maxWallMs) {
                return "max wall time (" + this.maxWallMs + " ms) reached";
            }
            return null;
        }
    }
}
