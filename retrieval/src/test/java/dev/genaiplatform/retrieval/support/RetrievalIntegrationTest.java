package dev.genaiplatform.retrieval.support;

import dev.genaiplatform.contracts.Topics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole service on real parts: an embedded Kafka broker, a real PostgreSQL (zonky), the MiniLM model, a Lucene
 * index on disk, internal tokens signed by {@link TestTokens}, and {@link StandInChatModel} as the HyDE model.
 * Subclasses share one application context (the configuration is declared here only), so the model loads and the
 * fixture corpus is indexed once per test JVM.
 * Every test uses its own tenant names, so tests do not see each other's data.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.retrieval.documents=classpath*:fixture-docs/**/*.md",
        "platform.retrieval.max-file-bytes=300000",
        "management.server.port=0",
        "spring.datasource.username=postgres",
        "logging.level.org.apache.kafka=WARN", "logging.level.kafka=WARN", "logging.level.state.change.logger=WARN"})
@EmbeddedKafka(partitions = 3, topics = {Topics.RETRIEVAL_SEARCH_RESULT, Topics.RETRIEVAL_DOCUMENT_DELETED},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
public abstract class RetrievalIntegrationTest {

    private static final String DATABASE = TestPostgres.newDatabase();
    private static final Path INDEX_DIR = temporaryFolder();

    @DynamicPropertySource
    static void realParts(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("spring.datasource.password", () -> "postgres");
        registry.add("platform.security.jwk-set-uri", TestTokens::jwkSetUri);
        registry.add("platform.retrieval.index-dir", INDEX_DIR::toString);
        registry.add("platform.retrieval.hyde.base-url", StandInChatModel::baseUrl);
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("retrieval-index-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
