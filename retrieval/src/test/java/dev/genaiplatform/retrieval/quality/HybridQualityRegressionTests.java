package dev.genaiplatform.retrieval.quality;

import dev.genaiplatform.retrieval.chunking.MarkdownHeadingChunker;
import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import dev.genaiplatform.retrieval.quality.QualityEvaluation.Metrics;
import dev.genaiplatform.retrieval.quality.QualityEvaluation.Ranking;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails the build when hybrid search (heading-aware chunks, the service's defaults) on the docs golden set falls
 * more than {@value #MARGIN} below the committed baseline in recall@5 or MRR. The baseline is rewritten only on
 * purpose, by the comparison command ({@link QualityComparison}) with {@code -Dquality.write-baseline=true}.
 */
class HybridQualityRegressionTests {

    private static final double MARGIN = 0.05;

    @Test
    void hybridSearchStaysWithinTheMarginOfTheCommittedBaseline() throws Exception {
        JsonNode baseline;
        try (InputStream in = getClass().getResourceAsStream("/quality/baseline/summary.json")) {
            baseline = JsonMapper.builder().build().readTree(in);
        }
        JsonNode expected = baseline.path("rows").valueStream()
                .filter(row -> row.path("set").asString().equals("docs") && row.path("chunking").asString().equals("markdown_headings-1000")
                        && row.path("ranking").asString().equals("HYBRID"))
                .findFirst().orElseThrow();
        var model = new MiniLmEmbeddingModel();
        var set = QualityEvaluation.load("/quality/golden-docs.json");
        Metrics measured;
        try (var store = QualityEvaluation.index(set.corpus(), new MarkdownHeadingChunker(1000), model)) {
            measured = QualityEvaluation.evaluate(store, model, set, Ranking.HYBRID);
        }

        assertThat(measured.recallAt5()).as("recall@5").isGreaterThanOrEqualTo(expected.path("recallAt5").asDouble() - MARGIN);
        assertThat(measured.mrr()).as("MRR").isGreaterThanOrEqualTo(expected.path("mrr").asDouble() - MARGIN);
    }
}
