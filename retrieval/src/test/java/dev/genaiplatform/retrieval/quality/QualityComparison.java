package dev.genaiplatform.retrieval.quality;

import dev.genaiplatform.contracts.retrieval.ConversationTurn;
import dev.genaiplatform.retrieval.chunking.Chunker;
import dev.genaiplatform.retrieval.chunking.MarkdownHeadingChunker;
import dev.genaiplatform.retrieval.chunking.RecursiveCharacterChunker;
import dev.genaiplatform.retrieval.chunking.SentenceChunker;
import dev.genaiplatform.retrieval.rewrite.QueryRewriter;
import dev.genaiplatform.retrieval.rewrite.RuleBasedQueryRewriter;
import dev.genaiplatform.retrieval.chunking.TokenWindowChunker;
import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import dev.genaiplatform.retrieval.quality.QualityEvaluation.Metrics;
import dev.genaiplatform.retrieval.quality.QualityEvaluation.Ranking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one command that compares strategies (not part of the normal build):
 * <pre>
 * ./mvnw -pl retrieval -am verify -Dquality.compare=true -Dtest=QualityComparison -Dit.test=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 * Every chunking strategy × every ranking (and hybrid / hybrid + cross-feature with each query rewrite) × every
 * golden set (docs, follow-ups, multi-hop alone and with distractors); prints a table, writes
 * {@code target/quality/summary.json} and {@code summary.md}; with {@code -Dquality.write-baseline=true} also
 * replaces the committed baseline {@code src/test/resources/quality/baseline/summary.json}.
 */
@EnabledIfSystemProperty(named = "quality.compare", matches = "true")
class QualityComparison {

    record Row(String set, String chunking, String ranking, double recallAt5, double recallAt10, double mrr, double ndcgAt5) {
    }

    static final Map<String, Chunker> CHUNKINGS = new LinkedHashMap<>();

    static {
        CHUNKINGS.put("markdown_headings-1000", new MarkdownHeadingChunker(1000));
        CHUNKINGS.put("static-200-40", new TokenWindowChunker(200, 40));
        CHUNKINGS.put("static-400-100", new TokenWindowChunker(400, 100));
        CHUNKINGS.put("sentence-1000-1", new SentenceChunker(1000, 1));
        CHUNKINGS.put("sentence-500-1", new SentenceChunker(500, 1));
        CHUNKINGS.put("recursive-1000-125", new RecursiveCharacterChunker(1000, 125));
        CHUNKINGS.put("recursive-500-60", new RecursiveCharacterChunker(500, 60));
    }

    /** Query rewriting compared with none: the follow-up made standalone only, and with alternatives as well. */
    static final Map<String, QueryRewriter> REWRITES = new LinkedHashMap<>();

    static {
        REWRITES.put("REWRITE_STANDALONE", new RuleBasedQueryRewriter(1));
        REWRITES.put("REWRITE_EXPANDED", new RuleBasedQueryRewriter(3));
    }

    /** Rankings the rewrites are measured under (each query costs a search: not all twelve). */
    static final List<Ranking> REWRITTEN_RANKINGS = List.of(Ranking.HYBRID, Ranking.HYBRID_CROSS_FEATURE);

    @Test
    void compareChunkingsAndRankingsOnBothGoldenSets() throws Exception {
        var model = new MiniLmEmbeddingModel();
        List<Row> rows = new ArrayList<>();
        for (String setName : List.of("docs", "followups", "multihop", "multihop-with-distractors")) {
            var set = QualityEvaluation.load("/quality/golden-" + setName + ".json");
            for (var chunking : CHUNKINGS.entrySet()) {
                try (var store = QualityEvaluation.index(set.corpus(), chunking.getValue(), model)) {
                    for (Ranking ranking : Ranking.values()) {
                        Metrics m = QualityEvaluation.evaluate(store, model, set, ranking);
                        rows.add(new Row(setName, chunking.getKey(), ranking.name(), round(m.recallAt5()), round(m.recallAt10()),
                                round(m.mrr()), round(m.ndcgAt5())));
                    }
                    for (Ranking ranking : REWRITTEN_RANKINGS) {
                        for (var rewrite : REWRITES.entrySet()) {
                            Metrics m = QualityEvaluation.evaluate(store, model, set, ranking, rewrite.getValue());
                            rows.add(new Row(setName, chunking.getKey(), ranking.name() + "+" + rewrite.getKey(), round(m.recallAt5()),
                                    round(m.recallAt10()), round(m.mrr()), round(m.ndcgAt5())));
                        }
                    }
                }
            }
        }
        StringBuilder table = new StringBuilder("| set | chunking | ranking | recall@5 | recall@10 | MRR | nDCG@5 |\n|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> table.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %.3f | %.3f | %.3f |%n",
                r.set(), r.chunking(), r.ranking(), r.recallAt5(), r.recallAt10(), r.mrr(), r.ndcgAt5())));
        System.out.println(table);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", "all-MiniLM-L6-v2 (int8), Lucene BM25 EnglishAnalyzer, RRF k=60, 50 candidates per leg");
        summary.put("rows", rows);
        JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Path out = Path.of("target/quality");
        Files.createDirectories(out);
        Files.writeString(out.resolve("summary.json"), json.writeValueAsString(summary));
        Files.writeString(out.resolve("summary.md"), table);
        if (Boolean.getBoolean("quality.write-baseline")) {
            Files.writeString(Path.of("src/test/resources/quality/baseline/summary.json"), json.writeValueAsString(summary));
        }
    }

    /**
     * The rewriter's false positives: every docs question asked as the second turn after the previous, unrelated
     * question. A question that stands alone but contains "that" or "there" gets the earlier topic carried into it;
     * this measures what that costs (printed, and written to {@code target/quality/topic-switch.md}).
     */
    @Test
    void measureRewritingWhenTheSubjectChanges() throws Exception {
        var model = new MiniLmEmbeddingModel();
        var docs = QualityEvaluation.load("/quality/golden-docs.json");
        List<QualityEvaluation.Question> switched = new ArrayList<>();
        for (int i = 0; i < docs.questions().size(); i++) {
            var previous = docs.questions().get((i + docs.questions().size() - 1) % docs.questions().size());
            var question = docs.questions().get(i);
            switched.add(new QualityEvaluation.Question(question.id(), question.question(), question.relevant(), question.heading(),
                    question.answer(), List.of(new ConversationTurn("user", previous.question()),
                    new ConversationTurn("assistant", previous.answer()))));
        }
        var set = new QualityEvaluation.GoldenSet(docs.corpus(), "docs questions after an unrelated question", switched);
        StringBuilder table = new StringBuilder("| chunking | ranking | recall@5 | recall@10 | MRR | nDCG@5 |\n|---|---|---|---|---|---|\n");
        for (var chunking : CHUNKINGS.entrySet()) {
            try (var store = QualityEvaluation.index(set.corpus(), chunking.getValue(), model)) {
                for (var rewrite : new String[] {"none", "REWRITE_STANDALONE", "REWRITE_EXPANDED"}) {
                    Metrics m = QualityEvaluation.evaluate(store, model, set, Ranking.HYBRID, REWRITES.get(rewrite));
                    table.append(String.format(Locale.ROOT, "| %s | HYBRID+%s | %.3f | %.3f | %.3f | %.3f |%n", chunking.getKey(),
                            rewrite, m.recallAt5(), m.recallAt10(), m.mrr(), m.ndcgAt5()));
                }
            }
        }
        System.out.println(table);
        Files.createDirectories(Path.of("target/quality"));
        Files.writeString(Path.of("target/quality/topic-switch.md"), table);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
