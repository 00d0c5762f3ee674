package dev.genaiplatform.orchestrator.batch;

import tools.jackson.databind.JsonNode;

/**
 * One line of an input file as stored. A line that failed validation has no body and its {@code result} is already
 * the error file's line; a valid one is {@code queued} until a consumer runs it.
 *
 * @param result the output or error file's line (OpenAI's shape), once the line is finished
 */
record BatchLine(String batchId, int index, String customId, String provider, JsonNode body, String status,
                 int attempts, JsonNode result) {

    static final String QUEUED = "queued";
    static final String RUNNING = "running";
    static final String WAITING_FOR_TOKEN = "waiting_for_token";
    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";
    static final String CANCELLED = "cancelled";
    static final String EXPIRED = "expired";
}
