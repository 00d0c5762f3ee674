package dev.genaiplatform.orchestrator.batch;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON objects of OpenAI's Batch and Files APIs, as the official SDKs read them (nulls written, not left out). */
final class BatchObjects {

    private BatchObjects() {
    }

    static Map<String, Object> batch(Batch batch, BatchStore.Counts counts) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("id", batch.id());
        object.put("object", "batch");
        object.put("endpoint", batch.endpoint());
        object.put("errors", batch.errors() == null ? null : Map.of("object", "list", "data", batch.errors()));
        object.put("input_file_id", batch.inputFileId());
        object.put("completion_window", batch.completionWindow());
        object.put("status", batch.status());
        // the files are views of the lines: named once the batch is finished and the file has a line
        object.put("output_file_id", batch.finished() && counts.completed() > 0 ? batch.outputFileId() : null);
        object.put("error_file_id", batch.finished() && counts.failed() > 0 ? batch.errorFileId() : null);
        object.put("created_at", seconds(batch.createdAt()));
        object.put("in_progress_at", seconds(batch.inProgressAt()));
        object.put("expires_at", seconds(batch.expiresAt()));
        object.put("finalizing_at", seconds(batch.finalizingAt()));
        object.put("completed_at", seconds(batch.completedAt()));
        object.put("failed_at", seconds(batch.failedAt()));
        object.put("expired_at", seconds(batch.expiredAt()));
        object.put("cancelling_at", seconds(batch.cancellingAt()));
        object.put("cancelled_at", seconds(batch.cancelledAt()));
        object.put("request_counts", Map.of("total", batch.total(), "completed", counts.completed(),
                "failed", counts.failed()));
        object.put("metadata", batch.metadata());
        return object;
    }

    static Map<String, Object> list(List<Map<String, Object>> data, boolean hasMore) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("object", "list");
        page.put("data", data);
        page.put("first_id", data.isEmpty() ? null : data.getFirst().get("id"));
        page.put("last_id", data.isEmpty() ? null : data.getLast().get("id"));
        page.put("has_more", hasMore);
        return page;
    }

    /** A {@code file} object of an output or error file ({@code purpose: batch_output}). */
    static Map<String, Object> file(String id, Batch batch, long bytes, boolean output) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("id", id);
        object.put("object", "file");
        object.put("bytes", bytes);
        Instant created = batch.completedAt() != null ? batch.completedAt()
                : batch.cancelledAt() != null ? batch.cancelledAt()
                : batch.expiredAt() != null ? batch.expiredAt()
                : batch.failedAt() != null ? batch.failedAt() : batch.createdAt();
        object.put("created_at", seconds(created));
        object.put("filename", batch.id() + (output ? "_output.jsonl" : "_errors.jsonl"));
        object.put("purpose", "batch_output");
        object.put("status", "processed");
        object.put("expires_at", null);
        object.put("status_details", null);
        return object;
    }

    private static Long seconds(Instant instant) {
        return instant == null ? null : instant.getEpochSecond();
    }
}
