package dev.genaiplatform.retrieval.quality;

import com.zaxxer.hikari.HikariDataSource;
import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import dev.genaiplatform.retrieval.quality.QualityEvaluation.Ranking;
import dev.genaiplatform.retrieval.search.HybridSearchSettings;
import dev.genaiplatform.retrieval.search.PgVectorChunkIndex;
import dev.genaiplatform.retrieval.support.PgVectorPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The golden sets on the pgvector store (PostgreSQL full text instead of BM25, pgvector's HNSW instead of Lucene's),
 * to compare with the Lucene rows of the baseline. Needs pgvector ({@code infra/ci/install-pgvector.sh}). Run:
 * <pre>
 * ./mvnw -pl retrieval -am verify -Dquality.pgvector=true -Dtest=PgVectorQualityComparison -Dit.test=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "quality.pgvector", matches = "true")
class PgVectorQualityComparison {

    @Test
    void theGoldenSetsOnPgvector() {
        assumeThat(PgVectorPostgres.unavailableReason()).as(PgVectorPostgres.unavailableReason()).isNull();
        var model = new MiniLmEmbeddingModel();
        List<String> lines = new ArrayList<>(List.of("| set | chunking | ranking | recall@5 | recall@10 | MRR | nDCG@5 |",
                "|---|---|---|---|---|---|---|"));
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(PgVectorPostgres.newDatabase());
            pool.setUsername("postgres");
            int table = 0;
            for (String setName : List.of("docs", "multihop-with-distractors")) {
                var set = QualityEvaluation.load("/quality/golden-" + setName + ".json");
                for (String chunking : List.of("markdown_headings-1000", "static-200-40")) {
                    var store = new PgVectorChunkIndex(pool, model, new HybridSearchSettings(50, 5, 60, 32), "quality_" + table++, 100);
                    QualityEvaluation.fill(store, set.corpus(), QualityComparison.CHUNKINGS.get(chunking));
                    for (Ranking ranking : List.of(Ranking.BM25, Ranking.VECTORS, Ranking.HYBRID, Ranking.HYBRID_CROSS_FEATURE)) {
                        var m = QualityEvaluation.evaluate(store, model, set, ranking);
                        lines.add(String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %.3f | %.3f | %.3f |", setName, chunking,
                                ranking == Ranking.BM25 ? "FULL_TEXT (ts_rank_cd)" : ranking.name(),
                                m.recallAt5(), m.recallAt10(), m.mrr(), m.ndcgAt5()));
                    }
                }
            }
        }
        System.out.println(String.join("\n", lines));
    }
}
