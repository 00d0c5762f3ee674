package dev.genaiplatform.retrieval.quality;

import dev.genaiplatform.retrieval.chunking.Chunker;
import dev.genaiplatform.retrieval.citation.Provenance;
import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import dev.genaiplatform.retrieval.search.ChunkIndex.Legs;
import dev.genaiplatform.retrieval.search.LuceneHybridVectorStore;
import dev.genaiplatform.retrieval.search.MultiHopRetriever;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * HyDE measured beside the existing modes on the committed golden sets. Offline there is no model that writes a
 * useful passage, so two stand-ins bracket what a real one would do:
 * <ul>
 *   <li>{@code HYDE_ECHO}: the "passage" is the question itself (what a model that adds nothing gives; it measures
 *       the fusion alone, a floor);</li>
 *   <li>{@code HYDE_IDEAL}: the passage is the golden set's expected answer (a model that knows the answer and
 *       phrases it briefly; a ceiling, since a real model's passage is at best right and may be wrong).</li>
 * </ul>
 * Both fuse the passage's vector ranking with the query's hybrid ranking, exactly as {@code ChunkSearch} does;
 * {@code IDEAL_PASSAGE_ALONE} searches the passage's vector without the query. Run:
 * <pre>
 * ./mvnw -pl retrieval -am verify -Dquality.hyde=true -Dtest=HydeQualityComparison -Dit.test=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 * Prints a table and writes {@code target/quality/hyde.md}.
 */
@EnabledIfSystemProperty(named = "quality.hyde", matches = "true")
class HydeQualityComparison {

    private static final int DEPTH = 10;
    private static final List<String> SETS = List.of("docs", "multihop", "multihop-with-distractors");
    private static final List<String> CHUNKINGS = List.of("markdown_headings-1000", "static-200-40");

    record Mode(String name, Function<QualityEvaluation.Question, List<List<Document>>> rankings) {
    }

    @Test
    void compareHydeWithTheExistingModes() throws Exception {
        var model = new MiniLmEmbeddingModel();
        List<String> lines = new ArrayList<>();
        lines.add("| set | chunking | ranking | recall@5 | recall@10 | MRR | nDCG@5 |");
        lines.add("|---|---|---|---|---|---|---|");
        for (String setName : SETS) {
            var set = QualityEvaluation.load("/quality/golden-" + setName + ".json");
            for (String chunkingName : CHUNKINGS) {
                Chunker chunker = QualityComparison.CHUNKINGS.get(chunkingName);
                try (LuceneHybridVectorStore store = QualityEvaluation.index(set.corpus(), chunker, model)) {
                    for (Mode mode : modes(store)) {
                        double[] sums = new double[4];
                        for (var question : set.questions()) {
                            List<List<Document>> rankings = mode.rankings().apply(question);
                            List<Document> found = rankings.size() == 1 ? rankings.getFirst() : MultiHopRetriever.fuse(rankings, DEPTH);
                            List<String> documents = found.stream().map(d -> String.valueOf(d.getMetadata().get(Provenance.DOCUMENT_PATH))).toList();
                            sums[0] += QualityEvaluation.recall(documents, question.relevant(), 5);
                            sums[1] += QualityEvaluation.recall(documents, question.relevant(), 10);
                            sums[2] += QualityEvaluation.reciprocalRank(documents, question.relevant());
                            sums[3] += QualityEvaluation.ndcg(documents, question.relevant(), 5);
                        }
                        int n = set.questions().size();
                        lines.add(String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %.3f | %.3f | %.3f |", setName, chunkingName,
                                mode.name(), sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n));
                    }
                }
            }
        }
        String table = String.join("\n", lines) + "\n";
        System.out.println(table);
        Files.createDirectories(Path.of("target/quality"));
        Files.writeString(Path.of("target/quality/hyde.md"), table);
    }

    private static List<Mode> modes(LuceneHybridVectorStore store) {
        Function<String, List<Document>> hybrid = query -> search(store, query, Legs.HYBRID);
        Function<String, List<Document>> vectors = text -> search(store, text, Legs.VECTOR_ONLY);
        return List.of(
                new Mode("HYBRID", q -> List.of(hybrid.apply(q.question()))),
                new Mode("VECTORS", q -> List.of(vectors.apply(q.question()))),
                new Mode("HYDE_ECHO", q -> List.of(hybrid.apply(q.question()), vectors.apply(q.question()))),
                new Mode("HYDE_IDEAL", q -> List.of(hybrid.apply(q.question()), vectors.apply(q.answer()))),
                new Mode("IDEAL_PASSAGE_ALONE", q -> List.of(vectors.apply(q.answer()))));
    }

    private static List<Document> search(LuceneHybridVectorStore store, String text, Legs legs) {
        return store.similaritySearch(SearchRequest.builder().query(text).topK(DEPTH).build(), legs);
    }
}
