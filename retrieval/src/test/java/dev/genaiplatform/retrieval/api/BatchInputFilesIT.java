package dev.genaiplatform.retrieval.api;

import dev.genaiplatform.retrieval.support.DocumentsClient;
import dev.genaiplatform.retrieval.support.DocumentsClient.Answer;
import dev.genaiplatform.retrieval.support.DocumentsClient.RawAnswer;
import dev.genaiplatform.retrieval.support.RetrievalIntegrationTest;
import dev.genaiplatform.retrieval.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.genaiplatform.retrieval.api.DocumentsSecurityIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenAI Batch API input: a {@code .jsonl} file uploaded with purpose {@code batch} is kept byte for byte for the
 * orchestrator's batch lane, served back unchanged, and never parsed, indexed or added to a vector store.
 */
class BatchInputFilesIT extends RetrievalIntegrationTest {

    /** Two requests, CRLF line ends, non-ASCII text, a line that is not JSON and no final newline: stored as sent. */
    private static final byte[] BATCH_INPUT = ("""
            {"custom_id":"r1","method":"POST","url":"/v1/chat/completions","body":{"model":"sim-small","messages":[{"role":"user","content":"Grüße 👋"}]}}\r
            {"custom_id":"r2","method":"POST","url":"/v1/chat/completions","body":{"model":"sim-small","messages":[{"role":"user","content":"hi"}]}}\r
            not json at all""").getBytes(StandardCharsets.UTF_8);

    @LocalServerPort
    private int port;

    @Test
    void aJsonlFileWithPurposeBatchIsStoredAndServedBackByteForByte() {
        DocumentsClient client = new DocumentsClient(port, TestTokens.token("t-batch-input"));

        Answer uploaded = client.upload("requests.jsonl", BATCH_INPUT, null, "batch");

        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(200);
        JsonNode file = uploaded.body();
        String fileId = file.path("id").asString();
        assertThat(fileId).startsWith("file-");
        assertThat(file.path("object").asString()).isEqualTo("file");
        assertThat(file.path("purpose").asString()).isEqualTo("batch");
        assertThat(file.path("filename").asString()).isEqualTo("requests.jsonl");
        assertThat(file.path("bytes").asLong()).isEqualTo(BATCH_INPUT.length);
        assertThat(file.path("status").asString()).isEqualTo("processed");

        RawAnswer content = client.getBytes("/v1/files/" + fileId + "/content");
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.contentType()).isEqualTo("application/jsonl");
        assertThat(content.body()).isEqualTo(BATCH_INPUT);

        assertThat(client.get("/v1/files/" + fileId).body().path("purpose").asString()).isEqualTo("batch");
        assertThat(client.get("/v1/files?purpose=batch").body().path("data")).extracting(n -> n.path("id").asString())
                .containsExactly(fileId);
        assertThat(client.upload("requests.jsonl", BATCH_INPUT, null, "batch").body().path("id").asString())
                .as("the same bytes again are the same file").isEqualTo(fileId);
    }

    @Test
    void batchInputCannotBeAddedToAVectorStoreInAnyWay() {
        DocumentsClient client = new DocumentsClient(port, TestTokens.token("t-batch-store"));
        String fileId = client.upload("input.jsonl", BATCH_INPUT, null, "batch").body().path("id").asString();
        String store = client.createStore("documents");

        assertProblem(client.post("/v1/vector_stores/" + store + "/files", Map.of("file_id", fileId)), 400, "invalid_value");
        assertProblem(client.post("/v1/vector_stores/" + store + "/file_batches", Map.of("file_ids", List.of(fileId))),
                400, "invalid_value");
        assertProblem(client.post("/v1/vector_stores", Map.of("name", "with-batch", "file_ids", List.of(fileId))),
                400, "invalid_value");
        Answer refused = client.post("/v1/vector_stores/" + store + "/files", Map.of("file_id", fileId));
        assertThat(refused.body().path("error").path("param").asString()).isEqualTo("file_id");
        assertThat(refused.body().path("detail").asString()).contains("batch");

        assertThat(client.get("/v1/vector_stores/" + store + "/files").body().path("data")).isEmpty();
        assertThat(client.get("/v1/vector_stores").body().path("data")).extracting(n -> n.path("name").asString())
                .containsExactly("documents");
        assertThat(client.getBytes("/v1/files/" + fileId + "/content").body()).isEqualTo(BATCH_INPUT);
    }

    @Test
    void jsonlIsOnlyForBatchAndBatchIsOnlyJsonl() {
        DocumentsClient client = new DocumentsClient(port, TestTokens.token("t-batch-types"));

        assertProblem(client.upload("requests.jsonl", BATCH_INPUT, null, "assistants"), 415, "unsupported_file_type");
        assertProblem(client.upload("requests.jsonl", BATCH_INPUT, null, "user_data"), 415, "unsupported_file_type");
        assertProblem(client.upload("notes.md", "# Notes".getBytes(StandardCharsets.UTF_8), null, "batch"),
                415, "unsupported_file_type");
        assertProblem(client.upload("empty.jsonl", new byte[0], null, "batch"), 400, "empty_file");
        assertProblem(client.upload("huge.jsonl", new byte[400_000], null, "batch"), 413, "request_too_large");
        assertThat(client.get("/v1/files").body().path("data")).isEmpty();
    }

    @Test
    void batchInputIsTheTenantsOwnAndGoesWhenDeleted() {
        DocumentsClient owner = new DocumentsClient(port, TestTokens.token("t-batch-owner"));
        DocumentsClient other = new DocumentsClient(port, TestTokens.token("t-batch-other"));
        String fileId = owner.upload("mine.jsonl", BATCH_INPUT, null, "batch").body().path("id").asString();

        assertProblem(other.get("/v1/files/" + fileId), 404, "not_found");
        assertThat(other.getBytes("/v1/files/" + fileId + "/content").status()).isEqualTo(404);
        assertProblem(other.delete("/v1/files/" + fileId), 404, "not_found");

        assertThat(owner.delete("/v1/files/" + fileId).body().path("deleted").asBoolean()).isTrue();
        assertThat(owner.getBytes("/v1/files/" + fileId + "/content").status()).isEqualTo(404);
    }
}
