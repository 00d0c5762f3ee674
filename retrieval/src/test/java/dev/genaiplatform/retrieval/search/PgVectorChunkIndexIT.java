package dev.genaiplatform.retrieval.search;

import com.zaxxer.hikari.HikariDataSource;
import dev.genaiplatform.retrieval.search.ChunkIndex.Legs;
import dev.genaiplatform.retrieval.support.PgVectorPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The {@link ChunkIndexContract} on pgvector, in a private PostgreSQL 15 cluster with pgvector that the test starts
 * on a free loopback port ({@link PgVectorPostgres}); skipped, saying why, where pgvector is not installed
 * ({@code infra/ci/install-pgvector.sh} installs it, and {@code .ci/run} runs that).
 */
class PgVectorChunkIndexIT extends ChunkIndexContract {

    private static HikariDataSource dataSource;
    private static PgVectorChunkIndex index;

    @BeforeAll
    static void startPostgres() {
        assumeThat(PgVectorPostgres.unavailableReason()).as(PgVectorPostgres.unavailableReason()).isNull();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(PgVectorPostgres.newDatabase());
        dataSource.setUsername("postgres");
        dataSource.setMaximumPoolSize(4);
        index = new PgVectorChunkIndex(dataSource, MODEL, new HybridSearchSettings(50, 5, 60, 32), "retrieval_chunks", 40);
    }

    @AfterAll
    static void closePool() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Override
    ChunkIndex index() {
        return index;
    }

    @Test
    void theVectorLegUsesTheHnswIndexAndTheSchemaIsCreatedOnce() {
        new PgVectorChunkIndex(dataSource, MODEL, new HybridSearchSettings(50, 5, 60, 32), "retrieval_chunks", 40);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("set enable_seqscan = off");
        String vector = "[" + "0.05,".repeat(MODEL.dimensions() - 1) + "0.05]";
        List<String> plan = jdbc.queryForList("explain select id from retrieval_chunks order by embedding <=> cast('" + vector
                + "' as vector) limit 5", String.class);

        assertThat(String.join("\n", plan)).contains("retrieval_chunks_hnsw");
        assertThat(jdbc.queryForObject("select extversion from pg_extension where extname = 'vector'", String.class)).isEqualTo("0.8.0");
    }

    @Test
    void aQueryOfOnlyStopWordsOrPunctuationFindsNothingLexicallyAndNeverFails() {
        index.add(List.of(chunk("odd", "vs_odd", "odd/1#0", "It's the O'Reilly book, C:\\path and a|b & c!", List.of())));
        SearchScope scope = new SearchScope("odd", List.of(), List.of("vs_odd"));

        assertThat(search(scope, "the and of", 5, null, Legs.LEXICAL_ONLY)).isEmpty();
        assertThat(search(scope, "O'Reilly | & ! :* C:\\path", 5, null, Legs.LEXICAL_ONLY)).extracting(Document::getId)
                .containsExactly("odd/1#0");
    }
}
