package dev.genaiplatform.retrieval.api;

import dev.genaiplatform.retrieval.support.DocumentsClient;
import dev.genaiplatform.retrieval.support.DocumentsClient.Answer;
import dev.genaiplatform.retrieval.support.RetrievalIntegrationTest;
import dev.genaiplatform.retrieval.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ADR 0004 and item 5 of the issue, adversarially: who may call at all, and what one caller can see of another's
 * documents. Every refusal is a platform problem; no crafted filter, borrowed id or exact quote crosses a tenant
 * or group boundary.
 */
class DocumentsSecurityIT extends RetrievalIntegrationTest {

    private static final String SECRET = "The vault under the old mill opens with the phrase marigold lantern seventeen.";

    @LocalServerPort
    private int port;

    private DocumentsClient as(String token) {
        return new DocumentsClient(port, token);
    }

    @Test
    void refusesMissingForgedForeignAudienceExpiredTenantlessAndScopelessTokensAsProblems() {
        assertProblem(as(null).get("/v1/files"), 401, "invalid_internal_token");
        assertProblem(as("not-a-jwt").get("/v1/files"), 401, "invalid_internal_token");
        assertProblem(as(TestTokens.builder("t-sec").signedByAnotherKey().sign()).get("/v1/files"), 401, "invalid_internal_token");
        assertProblem(as(TestTokens.builder("t-sec").audience("someone-else").sign()).get("/v1/files"), 401, "invalid_internal_token");
        assertProblem(as(TestTokens.builder("t-sec").issuer("not-the-gateway").sign()).get("/v1/files"), 401, "invalid_internal_token");
        assertProblem(as(TestTokens.builder("t-sec").expiresAt(Instant.now().minusSeconds(600)).sign()).get("/v1/files"), 401, "invalid_internal_token");
        assertProblem(as(TestTokens.builder(null).sign()).get("/v1/files"), 401, "invalid_internal_token");
        assertProblem(as(TestTokens.builder("t-sec").scope("chat").sign()).get("/v1/files"), 403, "insufficient_scope");
        assertProblem(as(TestTokens.builder("t-sec").scope("chat").sign()).get("/api/retrieval/search?q=x"), 403, "insufficient_scope");
    }

    @Test
    void aForgedTenantHeaderChangesNothing() {
        String owned = as(TestTokens.token("t-header-a")).upload("a.md", "# A\n\nalpha".getBytes(StandardCharsets.UTF_8), null)
                .body().path("id").asString();
        DocumentsClient b = as(TestTokens.token("t-header-b"));

        assertThat(b.getWithHeader("/v1/files", "X-Tenant-Id", "t-header-a").body().path("data")).isEmpty();
        assertProblem(b.getWithHeader("/v1/files/" + owned, "X-Tenant-Id", "t-header-a"), 404, "not_found");
    }

    @Test
    void aTenantNeverSeesAnotherTenantsFilesOrChunksWhateverItTries() {
        DocumentsClient a = as(TestTokens.token("t-iso-a"));
        DocumentsClient b = as(TestTokens.token("t-iso-b"));
        String secretFile = a.upload("vault.md", ("# Vault\n\n" + SECRET).getBytes(StandardCharsets.UTF_8), null).body().path("id").asString();
        String storeA = a.createStore("a");
        assertThat(a.ingest(storeA, secretFile, Map.of("tenant", "t-iso-b")).path("status").asString()).isEqualTo("completed");
        assertThat(a.search(storeA, SECRET, null).body().path("data")).isNotEmpty(); // it is there, for its owner

        String storeB = b.createStore("b");
        String ownFile = b.upload("notes.md", "# Notes\n\nNothing about vaults.".getBytes(StandardCharsets.UTF_8), null).body().path("id").asString();
        b.ingest(storeB, ownFile, Map.of());

        // the exact text, in B's own store, with and without crafted filters naming A's tenant and file
        assertThat(texts(b.search(storeB, SECRET, null))).noneMatch(text -> text.contains("marigold"));
        Map<String, Object> crafted = Map.of("type", "or", "filters", List.of(
                Map.of("type", "eq", "key", "tenant", "value", "t-iso-a"),
                Map.of("type", "ne", "key", "anything", "value", "x"),
                Map.of("type", "eq", "key", "fileId", "value", secretFile)));
        assertThat(texts(b.search(storeB, SECRET, crafted))).noneMatch(text -> text.contains("marigold"));
        // A's ids, borrowed
        assertProblem(b.search(storeA, SECRET, null), 404, "not_found");
        assertProblem(b.get("/v1/vector_stores/" + storeA), 404, "not_found");
        assertProblem(b.get("/v1/vector_stores/" + storeA + "/files/" + secretFile), 404, "not_found");
        assertProblem(b.get("/v1/files/" + secretFile), 404, "not_found");
        assertProblem(b.get("/v1/files/" + secretFile + "/content"), 404, "not_found");
        assertProblem(b.post("/v1/vector_stores/" + storeB + "/files", Map.of("file_id", secretFile)), 404, "not_found");
        assertProblem(b.delete("/v1/files/" + secretFile), 404, "not_found");
        assertProblem(b.delete("/v1/vector_stores/" + storeA), 404, "not_found");
        assertThat(b.get("/api/retrieval/search?q=marigold%20lantern%20seventeen&k=20").body().path("chunks").toString())
                .doesNotContain("marigold");
        // and A still has everything
        assertThat(texts(a.search(storeA, SECRET, null))).anyMatch(text -> text.contains("marigold"));
    }

    @Test
    void aUserFindsOnlyFilesOpenToTheTenantOrToOneOfTheirGroups() {
        DocumentsClient owner = as(TestTokens.token("t-groups", "finance"));
        String store = owner.createStore("mixed");
        String restricted = owner.upload("payroll.md", "# Payroll\n\nSalaries are paid on the twenty-fifth of each month."
                .getBytes(StandardCharsets.UTF_8), "finance, board").body().path("id").asString();
        String open = owner.upload("canteen.md", "# Canteen\n\nThe canteen serves lunch from noon."
                .getBytes(StandardCharsets.UTF_8), null).body().path("id").asString();
        owner.ingest(store, restricted, Map.of());
        owner.ingest(store, open, Map.of());

        assertThat(fileIds(as(TestTokens.token("t-groups", "finance")).search(store, "when are salaries paid", null))).contains(restricted);
        assertThat(fileIds(as(TestTokens.token("t-groups", "board")).search(store, "when are salaries paid", null))).contains(restricted);
        assertThat(fileIds(as(TestTokens.token("t-groups", "hr")).search(store, "when are salaries paid", null)))
                .doesNotContain(restricted).contains(open);
        assertThat(fileIds(as(TestTokens.token("t-groups")).search(store, "Salaries are paid on the twenty-fifth", null)))
                .doesNotContain(restricted);
        // a filter on a group-like attribute cannot open it either
        assertThat(fileIds(as(TestTokens.token("t-groups", "hr")).search(store, "salaries",
                Map.of("type", "in", "key", "groups", "value", List.of("finance", "*"))))).doesNotContain(restricted);
    }

    private static List<String> texts(Answer answer) {
        return answer.body().path("data").valueStream().map(hit -> hit.path("content").path(0).path("text").asString()).toList();
    }

    private static List<String> fileIds(Answer answer) {
        return answer.body().path("data").valueStream().map(hit -> hit.path("file_id").asString()).toList();
    }

    static void assertProblem(Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonNode body = answer.body();
        assertThat(body.path("type").asString()).as(answer.toString()).isEqualTo("urn:genai-platform:problem:" + code);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("error").path("code").asString()).isEqualTo(code);
        assertThat(body.path("error").path("message").asString()).isNotBlank();
    }
}
