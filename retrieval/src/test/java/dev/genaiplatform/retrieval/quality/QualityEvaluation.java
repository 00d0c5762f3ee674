package dev.genaiplatform.retrieval.quality;

import dev.genaiplatform.contracts.retrieval.ConversationTurn;
import dev.genaiplatform.retrieval.chunking.Chunker;
import dev.genaiplatform.retrieval.rewrite.QueryRewriter;
import dev.genaiplatform.retrieval.citation.Provenance;
import dev.genaiplatform.retrieval.ingest.MarkdownDocumentLoader;
import dev.genaiplatform.retrieval.rerank.CrossFeatureReranker;
import dev.genaiplatform.retrieval.rerank.MaximalMarginalRelevance;
import dev.genaiplatform.retrieval.rerank.Reranker;
import dev.genaiplatform.retrieval.search.HybridSearchSettings;
import dev.genaiplatform.retrieval.search.LuceneHybridVectorStore;
import dev.genaiplatform.retrieval.search.ChunkIndex;
import dev.genaiplatform.retrieval.search.ChunkIndex.Legs;
import dev.genaiplatform.retrieval.search.MultiHopRetriever;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Retrieval quality against a golden set: recall@5, recall@10, MRR and nDCG@5 at document level (a retrieved chunk
 * is relevant when its document is one the question names; each relevant document counts once).
 */
final class QualityEvaluation {

    /** {@code conversation}: the turns before the question (follow-up sets only), else null. */
    record Question(String id, String question, List<String> relevant, String heading, String answer,
                    List<ConversationTurn> conversation) {
    }

    record GoldenSet(String corpus, String note, List<Question> questions) {
    }

    record Metrics(double recallAt5, double recallAt10, double mrr, double ndcgAt5) {
    }

    /** The rankings compared: each leg alone, fused, and fused then re-ranked. */
    enum Ranking {
        BM25(Legs.LEXICAL_ONLY, false, false),
        VECTORS(Legs.VECTOR_ONLY, false, false),
        HYBRID(Legs.HYBRID, false, false),
        HYBRID_CROSS_FEATURE(Legs.HYBRID, true, false),
        HYBRID_MMR(Legs.HYBRID, false, true),
        HYBRID_CROSS_FEATURE_MMR(Legs.HYBRID, true, true),
        /** Hybrid, then a second hop with the names the first passages introduced ({@code MultiHopRetriever}). */
        HYBRID_TWO_HOPS(Legs.HYBRID, false, false, 2);

        final Legs legs;
        final boolean crossFeature;
        final boolean mmr;
        final int hops;

        Ranking(Legs legs, boolean crossFeature, boolean mmr) {
            this(legs, crossFeature, mmr, 1);
        }

        Ranking(Legs legs, boolean crossFeature, boolean mmr, int hops) {
            this.legs = legs;
            this.crossFeature = crossFeature;
            this.mmr = mmr;
            this.hops = hops;
        }

        Reranker reranker() {
            Reranker first = crossFeature ? new CrossFeatureReranker(CrossFeatureReranker.Weights.DEFAULT) : Reranker.NONE;
            return mmr ? new MaximalMarginalRelevance(0.7, first) : first;
        }
    }

    private static final int DEPTH = 10;
    private static final int RERANK_CANDIDATES = 20;

    private QualityEvaluation() {
    }

    static GoldenSet load(String resource) {
        try (InputStream in = QualityEvaluation.class.getResourceAsStream(resource)) {
            return JsonMapper.builder().build().readValue(in, GoldenSet.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The corpus under {@code quality/<corpus>/} ({@code a+b}: both folders), chunked and indexed in memory. */
    static LuceneHybridVectorStore index(String corpus, Chunker chunker, EmbeddingModel model) {
        var store = new LuceneHybridVectorStore(model, new HybridSearchSettings(50, 5, 60, 32));
        fill(store, corpus, chunker);
        return store;
    }

    /** Chunks the corpus under {@code quality/<corpus>/} into {@code store}. */
    static void fill(ChunkIndex store, String corpus, Chunker chunker) {
        var loader = new MarkdownDocumentLoader(new PathMatchingResourcePatternResolver(), List.of());
        var sources = java.util.Arrays.stream(corpus.split("\\+"))
                .flatMap(folder -> loader.load("classpath*:quality/" + folder + "/**/*.md").stream()).toList();
        store.add(sources.stream().flatMap(source -> chunker.chunk(source.path(), source.text()).stream())
                .map(Provenance::toDocument).toList());
    }

    static Metrics evaluate(ChunkIndex store, EmbeddingModel model, GoldenSet set, Ranking ranking) {
        return evaluate(store, model, set, ranking, null);
    }

    /**
     * With a rewriter, each question (with its conversation) is rewritten first; every query it yields is ranked as
     * {@code ranking} says and the rankings are fused, as {@code ChunkSearch} does.
     */
    static Metrics evaluate(ChunkIndex store, EmbeddingModel model, GoldenSet set, Ranking ranking,
                            QueryRewriter rewriter) {
        double recall5 = 0;
        double recall10 = 0;
        double mrr = 0;
        double ndcg = 0;
        for (Question question : set.questions()) {
            List<String> queries = rewriter == null ? List.of(question.question())
                    : rewriter.rewrite(question.question(), question.conversation() == null ? List.of() : question.conversation()).queries();
            List<List<Document>> rankings = queries.stream().map(query -> rank(store, model, ranking, query)).toList();
            List<Document> found = rankings.size() == 1 ? rankings.getFirst() : MultiHopRetriever.fuse(rankings, DEPTH);
            List<String> documents = found.stream().map(d -> String.valueOf(d.getMetadata().get(Provenance.DOCUMENT_PATH))).toList();
            recall5 += recall(documents, question.relevant(), 5);
            recall10 += recall(documents, question.relevant(), 10);
            mrr += reciprocalRank(documents, question.relevant());
            ndcg += ndcg(documents, question.relevant(), 5);
        }
        int n = set.questions().size();
        return new Metrics(recall5 / n, recall10 / n, mrr / n, ndcg / n);
    }

    private static List<Document> rank(ChunkIndex store, EmbeddingModel model, Ranking ranking, String query) {
        Reranker reranker = ranking.reranker();
        boolean rerank = reranker != Reranker.NONE;
        List<Document> found = ranking.hops > 1
                ? new MultiHopRetriever((q, k) -> store.similaritySearch(SearchRequest.builder().query(q).topK(k).build(),
                        ranking.legs), ranking.hops).retrieve(query, DEPTH).documents()
                : store.similaritySearch(SearchRequest.builder().query(query)
                        .topK(rerank ? RERANK_CANDIDATES : DEPTH).build(), ranking.legs);
        return rerank ? reranker.rerank(query, model.embed(query), found, DEPTH) : found;
    }

    static double recall(List<String> documents, List<String> relevant, int k) {
        Set<String> found = new HashSet<>(documents.subList(0, Math.min(k, documents.size())));
        return relevant.stream().filter(found::contains).count() / (double) relevant.size();
    }

    static double reciprocalRank(List<String> documents, List<String> relevant) {
        for (int i = 0; i < documents.size(); i++) {
            if (relevant.contains(documents.get(i))) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    static double ndcg(List<String> documents, List<String> relevant, int k) {
        Set<String> credited = new HashSet<>();
        double dcg = 0;
        for (int i = 0; i < Math.min(k, documents.size()); i++) {
            if (relevant.contains(documents.get(i)) && credited.add(documents.get(i))) {
                dcg += 1 / log2(i + 2);
            }
        }
        double ideal = 0;
        for (int i = 0; i < Math.min(k, relevant.size()); i++) {
            ideal += 1 / log2(i + 2);
        }
        return ideal == 0 ? 0 : dcg / ideal;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    static List<String> columns() {
        return new ArrayList<>(List.of("recall@5", "recall@10", "MRR", "nDCG@5"));
    }
}
