package dev.genaiplatform.retrieval.bench;

import dev.genaiplatform.retrieval.citation.Provenance;
import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import com.zaxxer.hikari.HikariDataSource;
import dev.genaiplatform.retrieval.search.ChunkIndex;
import dev.genaiplatform.retrieval.search.ChunkIndex.Legs;
import dev.genaiplatform.retrieval.search.HybridSearchSettings;
import dev.genaiplatform.retrieval.search.PgVectorChunkIndex;
import dev.genaiplatform.retrieval.support.PgVectorPostgres;
import dev.genaiplatform.retrieval.search.LuceneHybridVectorStore;
import dev.genaiplatform.retrieval.search.SearchScope;
import org.apache.lucene.store.FSDirectory;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SearchRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Not a test: the numbers of issue item 14 on both chunk indexes (Lucene on disk, and pgvector in a private
 * PostgreSQL 15 cluster when pgvector is installed), access filter on every search.
 * <ol>
 *   <li>Ingestion: {@code ingestChunks} real passages embedded by MiniLM and indexed (prepare + atomic replace +
 *       commit, as the pipeline does), in chunks/s.</li>
 *   <li>Search latency at each corpus size for kNN alone, BM25 (or PostgreSQL full text) alone and hybrid: p50/p99
 *       of 500 searches each (query embedding included, tenant/store/group filter inside, topK 4). Embedding 100k chunks with MiniLM would take ~15 minutes
 *       on two cores, so the large indexes hold real passage texts (with a random suffix so no two are equal) and
 *       vectors that are real MiniLM vectors of those passages plus small noise: the HNSW graph and the BM25
 *       postings have the size and shape of a real corpus; queries are embedded for real.</li>
 * </ol>
 * Arguments: sizes (default {@code 10000,100000}), ingest chunks (default 1000), stores (default
 * {@code lucene,pgvector}). Nothing is committed: the corpus is generated from the docs snapshot at run time and the
 * indexes live in temporary folders and a temporary cluster. Command in the README.
 */
public final class ScaleBenchmark {

    static final List<String> QUERIES = List.of("How does retrieval rank passages?", "reciprocal rank fusion",
            "Why Kafka between services?", "what happens when a record cannot be deserialized", "rate limit per tenant in Redis",
            "how are citations mapped back to passages", "one JVM per service", "token budget for the prompt",
            "PII masking of e-mail addresses", "time to first token");

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = Arrays.stream((args.length > 0 ? args[0] : "10000,100000").split(",")).map(Integer::parseInt).toList();
        int ingestChunks = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        List<String> stores = Arrays.asList((args.length > 2 ? args[2] : "lucene,pgvector").split(","));
        boolean pgvector = stores.contains("pgvector") && PgVectorPostgres.unavailableReason() == null;
        if (stores.contains("pgvector") && !pgvector) {
            System.out.println(PgVectorPostgres.unavailableReason());
        }
        MiniLmEmbeddingModel model = new MiniLmEmbeddingModel();
        List<String> passages = passages();
        System.out.printf(Locale.ROOT, "%d distinct passages from docs-snapshot; load average %.1f%n", passages.size(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        long[] embedding = new long[500];
        for (int i = 0; i < embedding.length + 100; i++) {
            long t = System.nanoTime();
            model.embed(QUERIES.get(i % QUERIES.size()) + " " + i);
            if (i >= 100) {
                embedding[i - 100] = System.nanoTime() - t;
            }
        }
        report("query embedding alone", embedding);

        if (stores.contains("lucene")) {
            Path ingestDir = Files.createTempDirectory("bench-ingest-");
            try (var store = new LuceneHybridVectorStore(model, new HybridSearchSettings(50, 5, 60, 32), FSDirectory.open(ingestDir))) {
                ingest("lucene", store, passages, ingestChunks);
            }
            deleteRecursively(ingestDir);
        }
        HikariDataSource pool = null;
        if (pgvector) {
            pool = new HikariDataSource();
            pool.setJdbcUrl(PgVectorPostgres.newDatabase());
            pool.setUsername("postgres");
            pool.setMaximumPoolSize(4);
            ingest("pgvector", new PgVectorChunkIndex(pool, model, new HybridSearchSettings(50, 5, 60, 32), "ingest_chunks", 100),
                    passages, ingestChunks);
        }

        Map<String, float[]> queryVectors = new HashMap<>();
        for (String query : QUERIES) { // unit length, as ChunkSearch hands a vector to the index
            float[] vector = model.embed(query);
            double norm = Math.sqrt(IntStream.range(0, vector.length).mapToDouble(d -> vector[d] * vector[d]).sum());
            float[] unit = new float[vector.length];
            for (int d = 0; d < vector.length; d++) {
                unit[d] = (float) (vector[d] / norm);
            }
            queryVectors.put(query, unit);
        }
        Map<String, float[]> realVectors = new HashMap<>();
        List<float[]> embedded = model.embed(passages);
        for (int i = 0; i < passages.size(); i++) {
            realVectors.put(passages.get(i), embedded.get(i));
        }
        for (int size : sizes) {
            EmbeddingModel nearReal = new NoisyCopies(model, realVectors, new Random(size));
            List<Document> documents = documents(passages, size, new Random(size));
            if (stores.contains("lucene")) {
                Path dir = Files.createTempDirectory("bench-" + size + "-");
                try (var store = new LuceneHybridVectorStore(nearReal, new HybridSearchSettings(50, 5, 60, 256), FSDirectory.open(dir))) {
                    build("lucene", store, documents);
                    measure("lucene", store, size, queryVectors);
                }
                deleteRecursively(dir);
            }
            if (pgvector) {
                var store = new PgVectorChunkIndex(pool, nearReal, new HybridSearchSettings(50, 5, 60, 256), "chunks_" + size, 100);
                build("pgvector", store, documents);
                measure("pgvector", store, size, queryVectors);
            }
        }
        if (pool != null) {
            pool.close();
        }
    }

    private static void deleteRecursively(Path folder) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Files of 100 real passages each, embedded by MiniLM and published as the pipeline does (prepare + replace). */
    private static void ingest(String name, ChunkIndex store, List<String> passages, int count) {
        List<Document> documents = documents(passages, count, new Random(1));
        store.add(documents.subList(0, 32)); // warm-up
        long start = System.nanoTime();
        for (int from = 0; from < documents.size(); from += 100) {
            List<Document> file = documents.subList(from, Math.min(documents.size(), from + 100));
            store.replace(null, store.prepare(file, done -> { }));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%s ingestion: %d chunks embedded + indexed + committed in %.1f s = %.0f chunks/s%n",
                name, documents.size(), seconds, documents.size() / seconds);
    }

    private static void build(String name, ChunkIndex store, List<Document> documents) {
        long start = System.nanoTime();
        for (int from = 0; from < documents.size(); from += 10_000) {
            store.add(documents.subList(from, Math.min(documents.size(), from + 10_000)));
        }
        System.out.printf(Locale.ROOT, "%s: %,d chunks indexed (vectors precomputed) in %.1f s%n", name, store.size(),
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * p50/p99 of 500 searches per leg (after 100 warm-ups): query embedding included, access filter on; then hybrid
     * again with the query's vector handed on (as the platform does: guardrails embedded the question already).
     */
    private static void measure(String name, ChunkIndex store, int size, Map<String, float[]> queryVectors) {
        SearchScope scope = new SearchScope("tenant-0", List.of("finance"), List.of("vs_0", "vs_1"));
        for (Legs legs : List.of(Legs.VECTOR_ONLY, Legs.LEXICAL_ONLY, Legs.HYBRID)) {
            measure(String.format(Locale.ROOT, "%s %,d chunks %s", name, size, legs), i -> search(store, scope, i, legs, null));
        }
        measure(String.format(Locale.ROOT, "%s %,d chunks HYBRID, vector handed on", name, size),
                i -> search(store, scope, i, Legs.HYBRID, queryVectors));
    }

    private static void measure(String what, java.util.function.IntConsumer search) {
        for (int i = 0; i < 100; i++) {
            search.accept(i);
        }
        long[] nanos = new long[500];
        for (int i = 0; i < nanos.length; i++) {
            long t = System.nanoTime();
            search.accept(i);
            nanos[i] = System.nanoTime() - t;
        }
        report(what, nanos);
    }

    private static void report(String what, long[] nanos) {
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "%s: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                what, q(nanos, 0.5), q(nanos, 0.9), q(nanos, 0.99), nanos[nanos.length - 1] / 1e6);
    }

    private static void search(ChunkIndex store, SearchScope scope, int i, Legs legs, Map<String, float[]> queryVectors) {
        String query = QUERIES.get(i % QUERIES.size());
        store.similaritySearch(SearchRequest.builder().query(query).topK(4).filterExpression(scope.filter(null)).build(), legs,
                queryVectors == null ? null : queryVectors.get(query));
    }

    /** Chunks spread over 4 tenants, 2 stores each, a quarter restricted to a group. */
    static List<Document> documents(List<String> passages, int count, Random random) {
        List<Document> documents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String text = passages.get(i % passages.size()) + " [" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "]";
            Map<String, Object> metadata = new HashMap<>();
            metadata.put(Provenance.TENANT, "tenant-" + (i % 4));
            metadata.put(Provenance.VECTOR_STORE_ID, "vs_" + (i % 8 / 4));
            metadata.put(Provenance.GROUPS, i % 4 == 3 ? List.of("finance") : List.of(Provenance.EVERYONE));
            metadata.put(Provenance.DOCUMENT_PATH, "doc-" + (i / 20) + ".md");
            metadata.put(Provenance.HEADING, "");
            metadata.put(Provenance.START_OFFSET, 0);
            metadata.put(Provenance.END_OFFSET, text.length());
            Document document = Document.builder().id("chunk-" + i).text(text).metadata(metadata).build();
            document.setContentFormatter((d, mode) -> d.getText()); // embed the passage alone, as Provenance does
            documents.add(document);
        }
        return documents;
    }

    static List<String> passages() throws Exception {
        try (Stream<Path> files = Files.walk(Path.of("retrieval/src/test/resources/quality/docs-snapshot"))) {
            return files.filter(p -> p.toString().endsWith(".md")).flatMap(p -> {
                try {
                    return Arrays.stream(Files.readString(p).split("\n\\s*\n"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).map(String::strip).filter(s -> s.length() > 80).distinct().collect(Collectors.toList());
        }
    }

    private static double q(long[] sorted, double quantile) {
        return sorted[Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    /** Documents get their passage's real vector plus noise; queries are embedded by the real model. */
    record NoisyCopies(EmbeddingModel real, Map<String, float[]> vectors, Random random) implements EmbeddingModel {
        @Override
        public EmbeddingResponse call(EmbeddingRequest request) {
            List<org.springframework.ai.embedding.Embedding> out = new ArrayList<>();
            for (String text : request.getInstructions()) {
                int cut = text.lastIndexOf(" [");
                float[] base = cut < 0 ? null : vectors.get(text.substring(0, cut));
                float[] vector = base == null ? real.embed(text) : base.clone();
                if (base != null) {
                    for (int d = 0; d < vector.length; d++) {
                        vector[d] += (float) (random.nextGaussian() * 0.02);
                    }
                }
                out.add(new org.springframework.ai.embedding.Embedding(vector, out.size()));
            }
            return new EmbeddingResponse(out);
        }

        @Override
        public float[] embed(Document document) {
            return embed(document.getText());
        }

        @Override
        public int dimensions() {
            return real.dimensions();
        }
    }
}
