package dev.genaiplatform.orchestrator.batch;

import dev.genaiplatform.orchestrator.chat.ChatPipeline;
import dev.genaiplatform.orchestrator.security.Caller;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Reads an input file line by line, as OpenAI's Batch API defines a line:
 * {@code {"custom_id": ..., "method": "POST", "url": "/v1/chat/completions", "body": {chat request}}}. Each line is
 * checked on its own (JSON, a unique {@code custom_id}, method, url, a body the chat pipeline accepts with a model
 * the caller's key may use); a broken line does not fail the batch, it becomes a line of the error file with a
 * per-line error. Blank lines are skipped; a line keeps its 0-based position in the file as its index.
 */
final class InputLines {

    private final ChatPipeline pipeline;
    private final JsonMapper json;

    InputLines(ChatPipeline pipeline, JsonMapper json) {
        this.pipeline = pipeline;
        this.json = json;
    }

    List<BatchLine> read(String batchId, byte[] content, String endpoint, Caller caller) {
        String[] physical = new String(content, StandardCharsets.UTF_8).split("\n", -1);
        List<BatchLine> lines = new ArrayList<>();
        Set<String> customIds = new HashSet<>();
        for (int index = 0; index < physical.length; index++) {
            String text = physical[index].strip();
            if (!text.isEmpty()) {
                lines.add(line(batchId, index, text, endpoint, caller, customIds));
            }
        }
        return lines;
    }

    private BatchLine line(String batchId, int index, String text, String endpoint, Caller caller, Set<String> seen) {
        JsonNode node;
        try {
            node = this.json.readTree(text);
        }
        catch (JacksonException malformed) {
            return broken(batchId, index, null, "invalid_json", "the line is not valid JSON");
        }
        if (!node.isObject()) {
            return broken(batchId, index, null, "invalid_json", "the line must be a JSON object");
        }
        JsonNode idNode = node.get("custom_id");
        String customId = idNode != null && idNode.isString() ? idNode.asString() : null;
        if (customId == null || customId.isBlank() || customId.length() > 512) {
            return broken(batchId, index, null, "missing_required_parameter",
                    "'custom_id' must be a non-empty string of at most 512 characters");
        }
        if (!seen.add(customId)) {
            return broken(batchId, index, customId, "duplicate_custom_id",
                    "'custom_id' " + customId + " is used by an earlier line; each must be unique in the file");
        }
        if (!"POST".equals(node.path("method").asString(""))) {
            return broken(batchId, index, customId, "invalid_value", "'method' must be POST");
        }
        if (!endpoint.equals(node.path("url").asString(""))) {
            return broken(batchId, index, customId, "invalid_url",
                    "'url' must be " + endpoint + ", the endpoint of the batch");
        }
        JsonNode body = node.get("body");
        Optional<ChatPipeline.Refused> refused = this.pipeline.check(body, caller);
        if (refused.isPresent()) {
            return broken(batchId, index, customId, refused.get().type().code(), refused.get().message());
        }
        return new BatchLine(batchId, index, customId, this.pipeline.providerOf(body), body, BatchLine.QUEUED, 0,
                null);
    }

    private BatchLine broken(String batchId, int index, String customId, String code, String message) {
        ObjectNode error = this.json.createObjectNode();
        error.put("code", code);
        error.put("message", "Line " + (index + 1) + ": " + message);
        return new BatchLine(batchId, index, customId, null, null, BatchLine.FAILED, 0,
                resultLine(this.json, customId, null, error));
    }

    /** A line of the output or error file: {@code {id, custom_id, response, error}}. */
    static ObjectNode resultLine(JsonMapper json, String customId, JsonNode response, JsonNode error) {
        ObjectNode line = json.createObjectNode();
        line.put("id", "batch_req_" + UUID.randomUUID().toString().replace("-", ""));
        line.put("custom_id", customId);
        line.set("response", response);
        line.set("error", error);
        return line;
    }
}
