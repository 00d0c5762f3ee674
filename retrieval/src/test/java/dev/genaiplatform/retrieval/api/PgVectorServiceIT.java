package dev.genaiplatform.retrieval.api;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.retrieval.search.ChunkIndex;
import dev.genaiplatform.retrieval.search.PgVectorChunkIndex;
import dev.genaiplatform.retrieval.support.DocumentsClient;
import dev.genaiplatform.retrieval.support.DocumentsClient.Answer;
import dev.genaiplatform.retrieval.support.PgVectorPostgres;
import dev.genaiplatform.retrieval.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.genaiplatform.retrieval.api.DocumentsSecurityIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service with {@code platform.retrieval.store.type=pgvector}: catalogue and chunks in one PostgreSQL 15
 * with pgvector (a private cluster, {@link PgVectorPostgres}). Upload, ingestion over Kafka, search, citations,
 * tenant isolation, group ACLs and verified deletion through the API, as on Lucene. Skipped where pgvector is missing.
 */
@EnabledIf(value = "pgvectorAvailable", disabledReason = "pgvector is not installed: run infra/ci/install-pgvector.sh as root")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.retrieval.store.type=pgvector",
        "platform.retrieval.documents=classpath*:fixture-docs/**/*.md",
        "platform.retrieval.max-file-bytes=300000",
        "management.server.port=0",
        "spring.datasource.username=postgres",
        "logging.level.org.apache.kafka=WARN", "logging.level.kafka=WARN", "logging.level.state.change.logger=WARN"})
@EmbeddedKafka(partitions = 3, topics = {Topics.RETRIEVAL_SEARCH_RESULT, Topics.RETRIEVAL_DOCUMENT_DELETED},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class PgVectorServiceIT {

    private static final String SECRET = "The spare key of the glasshouse hangs behind the marigold lantern, hook seventeen.";

    @LocalServerPort
    private int port;

    @Autowired
    private ChunkIndex index;

    static boolean pgvectorAvailable() {
        return PgVectorPostgres.unavailableReason() == null;
    }

    @DynamicPropertySource
    static void pgvector(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", PgVectorPostgres::newDatabase);
        registry.add("spring.datasource.password", () -> "");
        registry.add("platform.security.jwk-set-uri", TestTokens::jwkSetUri);
        registry.add("platform.retrieval.index-dir", () -> System.getProperty("java.io.tmpdir") + "/unused-lucene-index");
    }

    @Test
    void theServiceIndexesSearchesIsolatesAndDeletesInPgvector() {
        assertThat(index).isInstanceOf(PgVectorChunkIndex.class);
        DocumentsClient a = new DocumentsClient(port, TestTokens.token("pg-a"));
        DocumentsClient b = new DocumentsClient(port, TestTokens.token("pg-b"));
        String storeA = a.createStore("a");
        String secret = a.upload("vault.md", ("# Vault\n\n" + SECRET).getBytes(StandardCharsets.UTF_8), null).body().path("id").asString();
        assertThat(a.ingest(storeA, secret, Map.of("shelf", "top")).path("status").asString()).isEqualTo("completed");
        String storeB = b.createStore("b");
        String own = b.upload("notes.md", "# Notes\n\nNothing about keys.".getBytes(StandardCharsets.UTF_8), null).body().path("id").asString();
        b.ingest(storeB, own, Map.of());

        Answer found = a.search(storeA, "where is the spare key of the glasshouse", null);
        assertThat(found.body().path("data").path(0).path("file_id").asString()).isEqualTo(secret);
        assertThat(a.search(storeA, "glasshouse key", Map.of("type", "eq", "key", "shelf", "value", "top")).body().path("data")).isNotEmpty();
        assertThat(a.search(storeA, "glasshouse key", Map.of("type", "eq", "key", "shelf", "value", "bottom")).body().path("data")).isEmpty();
        String chunkId = found.body().path("data").path(0).path("chunk_id").asString();
        assertThat(a.source(chunkId).body().path("text").asString()).contains("marigold lantern");

        Map<String, Object> crafted = Map.of("type", "or", "filters", List.of(
                Map.of("type", "eq", "key", "tenant", "value", "pg-a"), Map.of("type", "eq", "key", "fileId", "value", secret)));
        assertThat(b.search(storeB, SECRET, crafted).body().path("data").toString()).doesNotContain("marigold");
        assertThat(b.search(storeB, SECRET, null).body().path("data").toString()).doesNotContain("marigold");
        assertProblem(b.search(storeA, SECRET, null), 404, "not_found");
        assertThat(b.source(chunkId).status()).isEqualTo(404);

        assertThat(a.delete("/v1/files/" + secret).body().path("deleted").asBoolean()).isTrue();
        assertThat(a.search(storeA, SECRET, null).body().path("data")).isEmpty();
        assertThat(a.source(chunkId).status()).isEqualTo(404);
    }

    @Test
    void aGroupRestrictedFileIsFoundOnlyByItsGroupsInPgvector() {
        DocumentsClient owner = new DocumentsClient(port, TestTokens.token("pg-groups", "finance"));
        String store = owner.createStore("mixed");
        String restricted = owner.upload("payroll.md", "# Payroll\n\nSalaries are paid on the twenty-fifth of each month."
                .getBytes(StandardCharsets.UTF_8), "finance").body().path("id").asString();
        String open = owner.upload("canteen.md", "# Canteen\n\nThe canteen serves lunch from noon."
                .getBytes(StandardCharsets.UTF_8), null).body().path("id").asString();
        owner.ingest(store, restricted, Map.of());
        owner.ingest(store, open, Map.of());

        assertThat(fileIds(owner.search(store, "when are salaries paid", null))).contains(restricted);
        assertThat(fileIds(new DocumentsClient(port, TestTokens.token("pg-groups", "hr")).search(store, "when are salaries paid", null)))
                .doesNotContain(restricted).contains(open);
        assertThat(fileIds(new DocumentsClient(port, TestTokens.token("pg-groups", "hr")).search(store, "salaries",
                Map.of("type", "in", "key", "groups", "value", List.of("finance", "*"))))).doesNotContain(restricted);
    }

    private static List<String> fileIds(Answer answer) {
        return answer.body().path("data").valueStream().map(hit -> hit.path("file_id").asString()).toList();
    }
}
