package dev.genaiplatform.orchestrator.batch;

import dev.genaiplatform.contracts.chat.BatchLineQueuedCommand.PriorityClass;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A batch as stored: OpenAI's fields plus who created it, taken from the creating request's verified token. The
 * lines of the batch act as this caller (its tenant, key, user, groups and the models its key could use then).
 * {@code priority} is {@code BATCH}, or {@code BULK} when the client asked for it in {@code metadata.priority}.
 */
record Batch(String id, String tenantId, String keyId, String userId, List<String> groups, Set<String> models,
             String endpoint, String inputFileId, String completionWindow, Map<String, String> metadata,
             String status, List<Map<String, Object>> errors, int total, Instant createdAt, Instant inProgressAt,
             Instant expiresAt, Instant finalizingAt, Instant completedAt, Instant failedAt, Instant expiredAt,
             Instant cancellingAt, Instant cancelledAt, PriorityClass priority) {

    static final String VALIDATING = "validating";
    static final String IN_PROGRESS = "in_progress";
    static final String FINALIZING = "finalizing";
    static final String COMPLETED = "completed";
    static final String FAILED = "failed";
    static final String CANCELLING = "cancelling";
    static final String CANCELLED = "cancelled";
    static final String EXPIRED = "expired";

    /** The id part shared by the batch and its files: {@code batch_<hex>} has files {@code file-batch-<hex>-...}. */
    String hex() {
        return this.id.substring("batch_".length());
    }

    String outputFileId() {
        return "file-batch-" + hex() + "-output";
    }

    String errorFileId() {
        return "file-batch-" + hex() + "-errors";
    }

    boolean finished() {
        return Set.of(COMPLETED, FAILED, CANCELLED, EXPIRED).contains(this.status);
    }
}
