package dev.genaiplatform.retrieval.api;

import dev.genaiplatform.retrieval.catalog.AuditLog;
import dev.genaiplatform.retrieval.catalog.SourceTexts;
import dev.genaiplatform.retrieval.support.DocumentsClient;
import dev.genaiplatform.retrieval.support.DocumentsClient.Answer;
import dev.genaiplatform.retrieval.support.RetrievalIntegrationTest;
import dev.genaiplatform.retrieval.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.genaiplatform.retrieval.api.DocumentsSecurityIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ADR 0005 item 3: {@code GET /api/retrieval/sources/{chunkId}} opens a citation at its exact span in the document
 * version it came from, for uploads and for the built-in corpus; with the same access rules as search, and the same
 * 404 for a chunk that is someone else's, replaced or deleted.
 */
class CitationSourcesIT extends RetrievalIntegrationTest {

    private static final String GREENHOUSE = """
            # Greenhouse

            ## Night ventilation

            Open the roof vents by a hand's width when the night stays above twelve degrees.

            ## Watering

            Water tomatoes at the root before nine in the morning; wet leaves at night invite blight.
            """;

    @LocalServerPort
    private int port;

    @Autowired
    private SourceTexts sourceTexts;

    @Autowired
    private AuditLog audit;

    @Test
    void opensAnUploadedChunkAtItsSpanInTheWholeFileVersionAlsoWithAChatToken() {
        DocumentsClient owner = new DocumentsClient(port, TestTokens.token("t-src"));
        String store = owner.createStore("src");
        String file = upload(owner, "greenhouse.md", GREENHOUSE);
        owner.ingest(store, file, Map.of());
        JsonNode chunk = firstChunk(owner, store, "water tomatoes at the root before nine, wet leaves blight");

        DocumentsClient chat = new DocumentsClient(port, TestTokens.builder("t-src").scope("chat").sign());
        Answer answer = chat.source(chunk.path("chunkId").asString());

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode source = answer.body();
        assertThat(source.path("text").asString()).isEqualTo(GREENHOUSE);
        int start = source.path("startOffset").asInt();
        int end = source.path("endOffset").asInt();
        assertThat(GREENHOUSE.substring(start, end)).isEqualTo(chunk.path("text").asString()).contains("Water tomatoes");
        assertThat(source.path("chunkId").asString()).isEqualTo(chunk.path("chunkId").asString());
        assertThat(source.path("documentPath").asString()).isEqualTo("greenhouse.md");
        assertThat(source.path("fileId").asString()).isEqualTo(file);
        assertThat(source.path("fileVersion").asInt()).isEqualTo(1);
        assertThat(source.path("title").asString()).isEqualTo("Greenhouse");
        assertThat(source.path("heading").asString()).contains("Watering");
        assertThat(source.path("asOf").asString()).isNotBlank();
        assertThat(source.properties().stream().map(Map.Entry::getKey)).containsExactlyInAnyOrder("chunkId", "documentPath",
                "fileId", "fileVersion", "title", "heading", "startOffset", "endOffset", "text", "asOf");
    }

    @Test
    void opensAnHtmlChunkInTheTextExtractedFromIt() {
        DocumentsClient owner = new DocumentsClient(port, TestTokens.token("t-src-html"));
        String store = owner.createStore("html");
        String html = "<html><head><title>Pond</title><script>var x = 1;</script></head><body><h1>Pond</h1>"
                + "<p>Skim duckweed off the pond every Saturday in summer.</p></body></html>";
        String file = upload(owner, "pond.html", html);
        owner.ingest(store, file, Map.of());
        JsonNode chunk = firstChunk(owner, store, "duckweed");

        JsonNode source = owner.source(chunk.path("chunkId").asString()).body();

        String text = source.path("text").asString();
        assertThat(text).contains("Skim duckweed").doesNotContain("<p>").doesNotContain("var x");
        assertThat(text.substring(source.path("startOffset").asInt(), source.path("endOffset").asInt()))
                .isEqualTo(chunk.path("text").asString());
    }

    @Test
    void opensABuiltInCorpusChunkInTheDocumentAsIndexed() throws IOException {
        DocumentsClient client = new DocumentsClient(port, TestTokens.builder("t-src-docs").scope("chat").sign());
        JsonNode chunk = new DocumentsClient(port, TestTokens.token("t-src-docs"))
                .get("/api/retrieval/search?q=card%20validation%20luhn&k=1&store=vs_platform_docs").body().path("chunks").path(0);
        String path = chunk.path("documentPath").asString();

        JsonNode source = client.source(chunk.path("chunkId").asString()).body();

        String original = new ClassPathResource("fixture-docs/" + path).getContentAsString(StandardCharsets.UTF_8);
        assertThat(source.path("text").asString()).isEqualTo(original);
        assertThat(original.substring(source.path("startOffset").asInt(), source.path("endOffset").asInt()))
                .isEqualTo(chunk.path("text").asString());
        assertThat(source.path("documentPath").asString()).isEqualTo(path);
        assertThat(source.path("fileId").isNull()).isTrue();
        assertThat(source.path("fileVersion").isNull()).isTrue();
    }

    @Test
    void anotherTenantsChunkAGroupRestrictedOneAndAnUnknownIdAllAnswerTheSame404() {
        DocumentsClient owner = new DocumentsClient(port, TestTokens.token("t-src-a", "finance"));
        String store = owner.createStore("private");
        String file = owner.upload("salaries.md", "# Salaries\n\nSalaries are paid on the 25th.".getBytes(StandardCharsets.UTF_8),
                "finance").body().path("id").asString();
        owner.ingest(store, file, Map.of());
        String chunkId = firstChunk(owner, store, "when are salaries paid").path("chunkId").asString();
        assertThat(owner.source(chunkId).status()).isEqualTo(200);

        Answer otherTenant = new DocumentsClient(port, TestTokens.token("t-src-b", "finance")).source(chunkId);
        Answer otherGroup = new DocumentsClient(port, TestTokens.token("t-src-a", "hr")).source(chunkId);
        Answer unknown = owner.source(store + "/file-doesnotexist#0");

        for (Answer answer : new Answer[] {otherTenant, otherGroup, unknown}) {
            assertProblem(answer, 404, "document_not_found");
        }
        assertThat(otherTenant.body()).isEqualTo(otherGroup.body()); // nothing tells "not yours" from "not there"
        assertThat(otherTenant.body().toString()).doesNotContain("Salaries are paid");
    }

    @Test
    void aReplacedVersionIsGoneAndTheNewOneOpens() {
        DocumentsClient owner = new DocumentsClient(port, TestTokens.token("t-src-fresh"));
        String store = owner.createStore("fresh");
        owner.ingest(store, upload(owner, "gate.md", "# Gate\n\nThe garden gate code is 4711."), Map.of());
        String oldChunk = firstChunk(owner, store, "garden gate code").path("chunkId").asString();

        String v2 = upload(owner, "gate.md", "# Gate\n\nThe garden gate code is 9035 since March.");
        owner.ingest(store, v2, Map.of());
        String newChunk = firstChunk(owner, store, "garden gate code").path("chunkId").asString();

        assertProblem(owner.source(oldChunk), 404, "document_not_found");
        JsonNode source = owner.source(newChunk).body();
        assertThat(source.path("text").asString()).contains("9035").doesNotContain("4711");
        assertThat(source.path("fileVersion").asInt()).isEqualTo(2);
        assertThat(sourceTexts.count("t-src-fresh")).isEqualTo(1);
        assertThat(audit.forTenant("t-src-fresh")).anySatisfy(entry -> {
            assertThat(entry.action()).isEqualTo("vector_store.file.superseded");
            assertThat(entry.detail()).contains("source text deleted");
        });
    }

    @Test
    void deletingTheFileDeletesItsSourceTextSaysSoInTheAuditAndTheCitationNoLongerOpens() {
        DocumentsClient owner = new DocumentsClient(port, TestTokens.token("t-src-del"));
        String store = owner.createStore("del");
        String file = upload(owner, "recipe.md", "# Recipe\n\nThe secret ingredient is smoked paprika.");
        owner.ingest(store, file, Map.of());
        String second = owner.createStore("del-2");
        owner.ingest(second, file, Map.of());
        String chunkId = firstChunk(owner, store, "secret ingredient").path("chunkId").asString();
        assertThat(sourceTexts.count("t-src-del")).isEqualTo(2);

        owner.delete("/v1/vector_stores/" + second + "/files/" + file);
        assertThat(sourceTexts.count("t-src-del")).isEqualTo(1);
        assertThat(owner.source(chunkId).status()).isEqualTo(200);

        owner.delete("/v1/files/" + file);

        assertProblem(owner.source(chunkId), 404, "document_not_found");
        assertThat(sourceTexts.count("t-src-del")).isZero();
        assertThat(audit.forTenant("t-src-del")).extracting(AuditLog.Entry::action, AuditLog.Entry::detail).containsExactly(
                org.assertj.core.groups.Tuple.tuple("vector_store.file.deleted", "from store " + second + ": chunks and source text deleted"),
                org.assertj.core.groups.Tuple.tuple("file.deleted", "1 store(s): bytes, chunks and source texts deleted"));
    }

    @Test
    void needsAValidTokenWithTheChatOrDocumentsScope() {
        String path = "/api/retrieval/sources/vs_platform_docs%23x";
        assertProblem(new DocumentsClient(port, null).getEncoded(path), 401, "invalid_internal_token");
        assertProblem(new DocumentsClient(port, TestTokens.builder("t-src-scope").scope("agent").sign()).getEncoded(path),
                403, "insufficient_scope");
        assertProblem(new DocumentsClient(port, TestTokens.builder("t-src-scope").scope("chat").sign()).getEncoded(path),
                404, "document_not_found");
    }

    private static String upload(DocumentsClient client, String name, String text) {
        return client.upload(name, text.getBytes(StandardCharsets.UTF_8), null).body().path("id").asString();
    }

    private static JsonNode firstChunk(DocumentsClient client, String store, String query) {
        JsonNode chunks = client.get("/api/retrieval/search?q=" + query.replace(" ", "%20") + "&k=1&store=" + store).body().path("chunks");
        assertThat(chunks).as("search for '%s' in %s", query, store).isNotEmpty();
        return chunks.path(0);
    }
}
