package dev.genaiplatform.retrieval.search;

import dev.genaiplatform.retrieval.catalog.PassageVerdicts;
import dev.genaiplatform.contracts.retrieval.ConversationTurn;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.contracts.retrieval.TextEmbedding;
import dev.genaiplatform.retrieval.rewrite.HypotheticalAnswers;
import dev.genaiplatform.retrieval.rewrite.QueryRewrite;
import dev.genaiplatform.retrieval.rewrite.QueryRewriter;
import dev.genaiplatform.retrieval.citation.Provenance;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.genaiplatform.retrieval.rerank.Reranker;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.filter.Filter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The one search entry point that Kafka and HTTP share: bounds the request, asks the vector store, and turns
 * what it found into chunks with provenance. It never throws on a bad query: blank gives an empty result,
 * topK is clamped, an over-long query is cut. Whether a bad request deserves an error is the caller's call.
 */
public final class ChunkSearch {

    /**
     * @param chunks     best first
     * @param topK       the number of chunks that was asked of the store, after clamping
     * @param tookMillis time spent searching, query embedding included
     * @param queries    every query that ran (the rewritten one first, then alternatives, each hop's query)
     * @param rewrittenBy {@code rules} or {@code model} when the query was rewritten, else null
     */
    public record Result(List<RetrievedChunk> chunks, int topK, long tookMillis, List<String> queries, String rewrittenBy) {
        public Result(List<RetrievedChunk> chunks, int topK, long tookMillis) {
            this(chunks, topK, tookMillis, List.of(), null);
        }
    }

    private final VectorStore store;
    private final SearchLimits limits;
    private final Reranker reranker;
    private final EmbeddingModel queryEmbedder;
    private final int rerankCandidates;
    private final QueryRewriter rewriter;
    private final RecencyBoost recency;
    private final HypotheticalAnswers hypotheticals;
    private final QueryVectorCache queryCache;
    private final PassageVerdicts verdicts;
    private final Timer hits;
    private final Timer misses;

    public ChunkSearch(VectorStore store, SearchLimits limits, MeterRegistry meterRegistry) {
        this(store, limits, meterRegistry, Reranker.NONE, null, 0, null, null);
    }

    /**
     * With a second stage: the store is asked for {@code max(topK, rerankCandidates)} fused candidates, which the
     * re-ranker reorders and cuts to topK. {@code queryEmbedder} (the index's model) embeds each query once for both the vector leg and the re-ranker.
     */
    public ChunkSearch(VectorStore store, SearchLimits limits, MeterRegistry meterRegistry, Reranker reranker,
                       EmbeddingModel queryEmbedder, int rerankCandidates, QueryRewriter rewriter, RecencyBoost recency) {
        this(store, limits, meterRegistry, reranker, queryEmbedder, rerankCandidates, rewriter, recency, null);
    }

    /** With {@code hypotheticals} (may be null), searches that ask for HyDE also search a hypothetical answer. */
    public ChunkSearch(VectorStore store, SearchLimits limits, MeterRegistry meterRegistry, Reranker reranker,
                       EmbeddingModel queryEmbedder, int rerankCandidates, QueryRewriter rewriter, RecencyBoost recency,
                       HypotheticalAnswers hypotheticals) {
        this(store, limits, meterRegistry, reranker, queryEmbedder, rerankCandidates, rewriter, recency, hypotheticals,
                QueryVectorCache.NONE);
    }

    /** With {@code queryCache}, a query text the tenant searched recently is not embedded again. */
    public ChunkSearch(VectorStore store, SearchLimits limits, MeterRegistry meterRegistry, Reranker reranker,
                       EmbeddingModel queryEmbedder, int rerankCandidates, QueryRewriter rewriter, RecencyBoost recency,
                       HypotheticalAnswers hypotheticals, QueryVectorCache queryCache) {
        this(store, limits, meterRegistry, reranker, queryEmbedder, rerankCandidates, rewriter, recency, hypotheticals,
                queryCache, null);
    }

    /** With {@code verdicts}, each result carries guardrails' verdict judged when it was indexed, if there is one. */
    public ChunkSearch(VectorStore store, SearchLimits limits, MeterRegistry meterRegistry, Reranker reranker,
                       EmbeddingModel queryEmbedder, int rerankCandidates, QueryRewriter rewriter, RecencyBoost recency,
                       HypotheticalAnswers hypotheticals, QueryVectorCache queryCache, PassageVerdicts verdicts) {
        this.verdicts = verdicts;
        this.queryCache = queryCache;
        this.hypotheticals = hypotheticals;
        this.rewriter = rewriter;
        this.recency = recency;
        this.store = store;
        this.limits = limits;
        this.reranker = reranker;
        this.queryEmbedder = queryEmbedder;
        this.rerankCandidates = rerankCandidates;
        this.hits = timer(meterRegistry, "hits");
        this.misses = timer(meterRegistry, "empty");
    }

    public SearchLimits limits() {
        return limits;
    }

    /** A search within what the scope allows; {@code userFilter} (may be null) can only narrow it. */
    public Result search(SearchScope scope, String query, int requestedTopK, Filter.Expression userFilter) {
        return search(scope, query, requestedTopK, userFilter, 1);
    }

    /** With {@code hops} > 1, retrieve → read → retrieve again ({@link MultiHopRetriever}); every hop in scope. */
    public Result search(SearchScope scope, String query, int requestedTopK, Filter.Expression userFilter, int hops) {
        return search(scope, query, requestedTopK, userFilter, hops, false, List.of());
    }

    /**
     * With {@code rewrite}, the query is first rewritten ({@link QueryRewriter}: the follow-up made standalone with
     * {@code conversation}, plus alternatives); every resulting query is searched (with its hops) and the rankings are
     * fused by reciprocal rank, the standalone query's first. {@link Result#queries()} lists what ran.
     */
    public Result search(SearchScope scope, String query, int requestedTopK, Filter.Expression userFilter, int hops,
                         boolean rewrite, List<ConversationTurn> conversation) {
        return search(scope, query, requestedTopK, userFilter, hops, rewrite, conversation, false);
    }

    /**
     * With {@code hyde}, a model also writes the passage that would answer the (standalone) question; its embedding
     * is searched (the vector leg alone, in the same scope) and that ranking is fused with the query's own, so a bad
     * passage can add candidates but not remove the query's. The passage is listed in {@link Result#queries()}, last,
     * and {@code rewrittenBy} gains {@code hyde}. Costs one model call; without a passage the search goes on as without.
     */
    public Result search(SearchScope scope, String query, int requestedTopK, Filter.Expression userFilter, int hops,
                         boolean rewrite, List<ConversationTurn> conversation, boolean hyde) {
        return search(scope, query, requestedTopK, userFilter, hops, rewrite, conversation, hyde, null);
    }

    /**
     * With {@code queryEmbedding} (may be null), an embedding an earlier step computed (guardrails' classifier): used
     * for the query when it is MiniLM's embedding of exactly the query as bounded here, ignored otherwise. Either way
     * each distinct text of one search is embedded at most once, the vector serving the store's vector leg and the
     * re-ranker alike.
     */
    public Result search(SearchScope scope, String query, int requestedTopK, Filter.Expression userFilter, int hops,
                         boolean rewrite, List<ConversationTurn> conversation, boolean hyde, TextEmbedding queryEmbedding) {
        long start = System.nanoTime();
        int topK = clampTopK(requestedTopK);
        if (query == null || query.isBlank()) {
            return new Result(List.of(), topK, 0);
        }
        QueryVectors vectors = new QueryVectors(scope.tenant(), bounded(query), queryEmbedding);
        QueryRewrite plan = rewrite && rewriter != null ? rewriter.rewrite(bounded(query), conversation == null ? List.of() : conversation)
                : QueryRewrite.none(bounded(query));
        List<List<Document>> rankings = new ArrayList<>();
        List<String> queries = new ArrayList<>();
        for (String planned : plan.queries()) {
            String bounded = bounded(planned);
            if (hops > 1) {
                var result = new MultiHopRetriever((q, k) -> oneHop(scope, q, k, userFilter, vectors), hops).retrieve(bounded, topK);
                rankings.add(result.documents());
                queries.addAll(result.queries());
            } else {
                rankings.add(oneHop(scope, bounded, topK, userFilter, vectors));
                queries.add(bounded);
            }
        }
        String rewrittenBy = plan.rewrittenBy();
        if (hyde && hypotheticals != null) {
            var passage = hypotheticals.write(plan.standalone());
            if (passage.isPresent()) {
                rankings.add(vectorsOnly(scope, bounded(passage.get()), topK, userFilter, vectors));
                queries.add(bounded(passage.get()));
                rewrittenBy = rewrittenBy == null ? "hyde" : rewrittenBy + "+hyde";
            }
        }
        List<Document> ranked = rankings.size() == 1 ? rankings.getFirst() : MultiHopRetriever.fuse(rankings, topK);
        List<RetrievedChunk> chunks = ranked.stream().map(Provenance::toRetrievedChunk).toList();
        if (verdicts != null) {
            chunks = verdicts.attach(chunks, ranked.stream().map(Provenance::tenantOf).toList());
        }
        long nanos = System.nanoTime() - start;
        (chunks.isEmpty() ? misses : hits).record(nanos, TimeUnit.NANOSECONDS);
        return new Result(chunks, topK, TimeUnit.NANOSECONDS.toMillis(nanos), queries, rewrittenBy);
    }

    private String bounded(String query) {
        return query.length() > limits.maxQueryChars() ? query.substring(0, limits.maxQueryChars()) : query;
    }

    private List<Document> oneHop(SearchScope scope, String query, int topK, Filter.Expression userFilter, QueryVectors vectors) {
        boolean rerank = reranker != Reranker.NONE;
        boolean boost = recency != null; // a fresher passage just below the cut must be able to rise into it
        SearchRequest request = SearchRequest.builder().query(query)
                .topK(rerank || boost ? Math.max(topK, rerankCandidates) : topK).filterExpression(scope.filter(userFilter)).build();
        float[] vector = store instanceof ChunkIndex || rerank ? vectors.of(query) : null;
        List<Document> candidates = store instanceof ChunkIndex index ? index.similaritySearch(request, ChunkIndex.Legs.HYBRID, vector)
                : store.similaritySearch(request);
        List<Document> ranked = rerank ? reranker.rerank(query, vector, candidates, boost ? candidates.size() : topK) : candidates;
        return boost ? recency.apply(ranked, topK) : ranked;
    }

    /** The nearest neighbours of a text's embedding (a hypothetical answer has no terms worth matching lexically). */
    private List<Document> vectorsOnly(SearchScope scope, String text, int topK, Filter.Expression userFilter, QueryVectors vectors) {
        SearchRequest request = SearchRequest.builder().query(text).topK(topK).filterExpression(scope.filter(userFilter)).build();
        return store instanceof ChunkIndex index ? index.similaritySearch(request, ChunkIndex.Legs.VECTOR_ONLY, vectors.of(text))
                : store.similaritySearch(request);
    }

    /**
     * The unit vectors of one search's texts, each embedded at most once: the query's serves the vector leg and the
     * re-ranker, and a rewrite or a hop that repeats a text reuses it; a text the tenant searched recently comes from
     * the {@link QueryVectorCache} without embedding. Seeded with a handed-on embedding only when it is
     * this service's model's embedding of exactly that text (and of its size), so a stale or foreign vector is ignored.
     * Without a model of its own (tests) it returns null and the store embeds.
     */
    private final class QueryVectors {
        private final String tenant;
        private final Map<String, float[]> byText = new HashMap<>();

        QueryVectors(String tenant, String query, TextEmbedding handedOn) {
            this.tenant = tenant;
            if (queryEmbedder != null && handedOn != null && handedOn.matches(TextEmbedding.MINILM_L6_V2_Q, query)
                    && handedOn.vector().length == queryEmbedder.dimensions()) {
                byText.put(query, ChunkIndex.unitLength(handedOn.vector()));
            }
        }

        float[] of(String text) {
            return queryEmbedder == null ? null : byText.computeIfAbsent(text,
                    t -> queryCache.vector(tenant, t, () -> ChunkIndex.unitLength(queryEmbedder.embed(t))));
        }
    }

    /** Zero or negative means "the default"; more than the maximum means the maximum. */
    int clampTopK(int requested) {
        if (requested < 1) {
            return limits.defaultTopK();
        }
        return Math.min(requested, limits.maxTopK());
    }

    private static Timer timer(MeterRegistry registry, String outcome) {
        return Timer.builder("retrieval.search").description("Hybrid searches, query embedding included")
                .tag("outcome", outcome).publishPercentileHistogram().register(registry);
    }
}
