package dev.genaiplatform.retrieval;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * Everything retrieval can be told, under {@code platform.retrieval} (see application.yml for the
 * environment variables).
 *
 * @param documents           Spring resource pattern of the Markdown to ingest at start-up, {@code file:} or
 *                            {@code classpath*:}; e.g. {@code file:/srv/docs/**}{@code /*.md}. A document's path
 *                            in citations is relative to the part before the first wildcard. Env RETRIEVAL_DOCUMENTS.
 * @param excludedFolders     folder names skipped anywhere below that base (build output would otherwise be
 *                            ingested twice: {@code docs/target/classes/platform-docs/...}); folders starting
 *                            with '.' are always skipped.
 * @param chunkMaxChars       a section longer than this is split at paragraph boundaries. MiniLM reads about
 *                            256 word pieces (~1,000 characters of English) well; longer text dilutes the vector.
 * @param defaultTopK         passages returned when the caller does not say (Kafka topK &lt;= 0, HTTP without k).
 * @param maxTopK             the most passages one search may return; larger Kafka requests are clamped to it,
 *                            larger HTTP requests are refused.
 * @param maxQueryChars       longer queries are cut to this length before searching: it bounds the BM25 clause
 *                            count and the embedding cost of one request.
 * @param minCandidates       each leg (BM25, kNN) fetches at least this many candidates before fusion: HNSW
 *                            recall is poor when asked for exactly k.
 * @param candidatesPerResult each leg fetches {@code max(minCandidates, candidatesPerResult * topK)} candidates.
 * @param rrfK                the k of reciprocal rank fusion, 1 / (k + rank): larger flattens the advantage of
 *                            the very top ranks. 60 is the value from the original RRF paper.
 * @param indexDir            folder of the Lucene index (text, vectors, access fields). It survives restarts;
 *                            delete it and every file is re-ingested from the catalogue at the next start.
 *                            Env RETRIEVAL_INDEX_DIR, default {@code $RETRIEVAL_DATA_DIR/index}.
 * @param maxFileBytes        largest upload accepted, in bytes; larger ones get a 413 problem. Env
 *                            RETRIEVAL_MAX_FILE_BYTES (keep spring.servlet.multipart.max-file-size at least as large).
 * @param rerank              the second ranking stage after fusion, see {@link Rerank}.
 * @param rewrite             query rewriting before the search, see {@link Rewrite}.
 * @param recencyHalfLife     when set, fresher file versions rank higher: a passage's score is scaled by
 *                            {@code 0.5 + 0.5 × 2^(-age / half-life)} (never below half). Unset (the default): off.
 *                            Env RETRIEVAL_RECENCY_HALF_LIFE, e.g. {@code 30d}.
 * @param store               where chunks are indexed, see {@link Store}.
 * @param hyde                hypothetical document embeddings, see {@link Hyde}.
 * @param embedding           how the in-process MiniLM model uses threads, see {@link Embedding}.
 * @param searchCommitInterval how often the search listener commits its consumed offsets (Kafka's AckMode.TIME);
 *                            zero commits after every poll's records (Spring's BATCH, one commit per search at low
 *                            rates). A crash replays at most this much of searches, whose askers have timed out:
 *                            harmless. Env RETRIEVAL_SEARCH_COMMIT_INTERVAL, default 5s.
 * @param storeListTtl        how long a tenant's store rows serve searches over Kafka without a database query (this
 *                            instance forgets them at once when it creates or deletes one of the tenant's stores; another
 *                            instance on the same database sees such a change at most this late); zero queries on every
 *                            search. Env RETRIEVAL_STORE_LIST_TTL, default 5s.
 */
@ConfigurationProperties("platform.retrieval")
public record RetrievalProperties(
        @DefaultValue("classpath*:platform-docs/**/*.md") String documents,
        @DefaultValue({"target", "node_modules"}) List<String> excludedFolders,
        @DefaultValue("1000") int chunkMaxChars,
        @DefaultValue("4") int defaultTopK,
        @DefaultValue("20") int maxTopK,
        @DefaultValue("2000") int maxQueryChars,
        @DefaultValue("50") int minCandidates,
        @DefaultValue("5") int candidatesPerResult,
        @DefaultValue("60") int rrfK,
        String indexDir,
        @DefaultValue("20971520") long maxFileBytes,
        @DefaultValue Rerank rerank,
        @DefaultValue Rewrite rewrite,
        java.time.Duration recencyHalfLife,
        @DefaultValue Store store,
        @DefaultValue Hyde hyde,
        @DefaultValue Embedding embedding,
        @DefaultValue("5s") java.time.Duration searchCommitInterval,
        @DefaultValue("5s") java.time.Duration storeListTtl) {

    public RetrievalProperties {
        require(documents != null && !documents.isBlank(), "documents must name a resource pattern");
        require(chunkMaxChars >= 100, "chunk-max-chars must be at least 100");
        require(maxTopK >= 1, "max-top-k must be at least 1");
        require(defaultTopK >= 1 && defaultTopK <= maxTopK, "default-top-k must be between 1 and max-top-k");
        require(maxQueryChars >= 1, "max-query-chars must be at least 1");
        require(minCandidates >= 1 && candidatesPerResult >= 1, "candidate counts must be at least 1");
        require(rrfK >= 1, "rrf-k must be at least 1");
        require(indexDir != null && !indexDir.isBlank(), "index-dir must name a folder");
        require(maxFileBytes >= 1, "max-file-bytes must be at least 1");
        require(recencyHalfLife == null || (!recencyHalfLife.isNegative() && !recencyHalfLife.isZero()),
                "recency-half-life must be positive when set");
        require(searchCommitInterval != null && !searchCommitInterval.isNegative(), "search-commit-interval must not be negative");
        require(storeListTtl != null && !storeListTtl.isNegative(), "store-list-ttl must not be negative");
        excludedFolders = excludedFolders == null ? List.of() : List.copyOf(excludedFolders);
    }

    /**
     * @param intraOpThreads ONNX Runtime threads per inference (the calling thread and n - 1 workers). 2 cost the same
     *                       CPU as 1 and cut latency on two busy cores (README, Speed). Env RETRIEVAL_EMBEDDING_INTRA_OP_THREADS.
     * @param spinning       let idle ONNX Runtime workers busy-wait for work (ONNX Runtime's own default, faster by a
     *                       hair on idle dedicated cores, CPU burnt for nothing on shared ones). Env RETRIEVAL_EMBEDDING_SPINNING.
     * @param parallelism    texts of one ingestion batch embedded at once; 0 means one per core. Env
     *                       RETRIEVAL_EMBEDDING_PARALLELISM.
     * @param queryCacheSize query vectors kept per service, by tenant and exact text (least recently used dropped;
     *                       ~1.6 KB each); 0 keeps none. Env RETRIEVAL_QUERY_CACHE_SIZE.
     */
    public record Embedding(@DefaultValue("2") int intraOpThreads, @DefaultValue("false") boolean spinning,
                            @DefaultValue("0") int parallelism, @DefaultValue("1024") int queryCacheSize) {
        public Embedding {
            require(intraOpThreads >= 1, "embedding.intra-op-threads must be at least 1");
            require(parallelism >= 0, "embedding.parallelism must be 0 (one per core) or more");
            require(queryCacheSize >= 0, "embedding.query-cache-size must not be negative");
        }
    }

    /**
     * @param type            {@code lucene} (the default: an embedded index in {@code index-dir}, BM25 + HNSW, one writer
     *                        per folder) or {@code pgvector} (a table in the service's own PostgreSQL, which must have
     *                        the {@code vector} extension or let the service create it: HNSW with cosine distance +
     *                        PostgreSQL full-text search, shared by every instance). Env RETRIEVAL_STORE.
     * @param pgvectorTable   the chunk table, created at start-up when missing. Env RETRIEVAL_PGVECTOR_TABLE.
     * @param pgvectorEfSearch HNSW's {@code ef_search} per search (raised to the leg's candidate count; with
     *                        {@code iterative_scan} a filtered search scans on until enough rows pass).
     *                        Env RETRIEVAL_PGVECTOR_EF_SEARCH.
     */
    public record Store(@DefaultValue("lucene") String type, @DefaultValue("retrieval_chunks") String pgvectorTable,
                        @DefaultValue("100") int pgvectorEfSearch) {
        public Store {
            require(List.of("lucene", "pgvector").contains(type), "store.type must be lucene or pgvector");
            require(pgvectorEfSearch >= 1 && pgvectorEfSearch <= 1000, "store.pgvector-ef-search must be between 1 and 1000");
        }

        public boolean pgvector() {
            return "pgvector".equals(type);
        }
    }

    /**
     * @param enabledByDefault search with HyDE when neither the request ({@code hyde}) nor a searched store's metadata
     *                         ({@code hyde}) says. Each such search costs one model call. Env RETRIEVAL_HYDE.
     * @param baseUrl          the model endpoint ({@code /chat/completions} is appended). Env RETRIEVAL_HYDE_BASE_URL, else LLM_BASE_URL.
     * @param apiKey           its key (Bearer), from the environment only. Env RETRIEVAL_HYDE_API_KEY, else LLM_API_KEY.
     * @param model            the model that writes the passage. Env RETRIEVAL_HYDE_MODEL.
     * @param timeout          how long a search waits for the passage before going on without it. Env RETRIEVAL_HYDE_TIMEOUT.
     * @param maxChars         a longer passage is cut to this length before it is embedded.
     */
    public record Hyde(@DefaultValue("false") boolean enabledByDefault, @DefaultValue("http://127.0.0.1:8090/v1") String baseUrl,
                       String apiKey, @DefaultValue("sim-small") String model, @DefaultValue("5s") java.time.Duration timeout,
                       @DefaultValue("1200") int maxChars) {
        public Hyde {
            require(baseUrl != null && !baseUrl.isBlank(), "hyde.base-url is required");
            require(timeout != null && !timeout.isNegative() && !timeout.isZero(), "hyde.timeout must be positive");
            require(maxChars >= 100, "hyde.max-chars must be at least 100");
        }
    }

    /**
     * @param strategy   {@code none} (fusion order), {@code cross-feature} (the offline scorer), {@code mmr} (diversity
     *                   over fusion order), {@code cross-feature-mmr} (both), or {@code hosted} (a Cohere/Jina-style
     *                   re-rank API; sends passages to it). Env RETRIEVAL_RERANK.
     * @param candidates fused candidates handed to the re-ranker (it returns topK of them). Env RETRIEVAL_RERANK_CANDIDATES.
     * @param mmrLambda  MMR's trade-off, 1 = relevance only, 0 = diversity only. Env RETRIEVAL_MMR_LAMBDA.
     * @param hostedUrl  base URL of the hosted re-rank API ({@code /rerank} is appended), e.g. {@code https://api.cohere.com/v2}.
     * @param hostedKey  its API key (Bearer), from the environment only (RETRIEVAL_RERANK_API_KEY).
     * @param hostedModel its model name, e.g. {@code rerank-v3.5} or {@code jina-reranker-v2-base-multilingual}.
     */
    public record Rerank(@DefaultValue("none") String strategy, @DefaultValue("20") int candidates,
                         @DefaultValue("0.7") double mmrLambda, String hostedUrl, String hostedKey,
                         @DefaultValue("rerank-v3.5") String hostedModel) {
        public Rerank {
            require(List.of("none", "cross-feature", "mmr", "cross-feature-mmr", "hosted").contains(strategy),
                    "rerank.strategy must be none, cross-feature, mmr, cross-feature-mmr or hosted");
            require(candidates >= 1 && candidates <= 200, "rerank.candidates must be between 1 and 200");
            require(!"hosted".equals(strategy) || (hostedUrl != null && !hostedUrl.isBlank()),
                    "rerank.hosted-url is required for the hosted strategy");
        }
    }

    /**
     * @param enabledByDefault rewrite when neither the request ({@code rewrite}, OpenAI's {@code rewrite_query}) nor a
     *                         searched store's metadata ({@code rewrite_query}) says. Env RETRIEVAL_REWRITE.
     * @param rewriter         {@code rules} (deterministic, no model) or {@code model} (a chat model through an
     *                         OpenAI-compatible endpoint, the rules standing in whenever it fails). Env RETRIEVAL_REWRITER.
     * @param maxQueries       most queries one rewrite searches, the standalone one included (1 = no alternatives).
     *                         Each costs one hybrid search. Env RETRIEVAL_REWRITE_MAX_QUERIES.
     * @param baseUrl          the model endpoint, {@code /chat/completions} is appended, e.g. {@code http://127.0.0.1:8090/v1}
     *                         (the simulator) or {@code https://api.openai.com/v1}. Env RETRIEVAL_REWRITE_BASE_URL, else LLM_BASE_URL.
     * @param apiKey           its key (Bearer), from the environment only. Env RETRIEVAL_REWRITE_API_KEY, else LLM_API_KEY.
     * @param model            the model name. Env RETRIEVAL_REWRITE_MODEL.
     * @param timeout          how long a search waits for the model before the rules rewrite instead. Env RETRIEVAL_REWRITE_TIMEOUT.
     */
    public record Rewrite(@DefaultValue("false") boolean enabledByDefault, @DefaultValue("rules") String rewriter,
                          @DefaultValue("3") int maxQueries, @DefaultValue("http://127.0.0.1:8090/v1") String baseUrl,
                          String apiKey, @DefaultValue("sim-small") String model,
                          @DefaultValue("2s") java.time.Duration timeout) {
        public Rewrite {
            require(List.of("rules", "model").contains(rewriter), "rewrite.rewriter must be rules or model");
            require(maxQueries >= 1 && maxQueries <= 5, "rewrite.max-queries must be between 1 and 5");
            require(!"model".equals(rewriter) || (baseUrl != null && !baseUrl.isBlank()), "rewrite.base-url is required for the model rewriter");
            require(timeout != null && !timeout.isNegative() && !timeout.isZero(), "rewrite.timeout must be positive");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("platform.retrieval: " + message);
        }
    }
}
