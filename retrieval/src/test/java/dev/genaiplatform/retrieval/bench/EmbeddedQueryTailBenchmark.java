package dev.genaiplatform.retrieval.bench;

import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import dev.genaiplatform.retrieval.search.ChunkIndex;
import dev.genaiplatform.retrieval.search.ChunkIndex.Legs;
import dev.genaiplatform.retrieval.search.HybridSearchSettings;
import dev.genaiplatform.retrieval.search.LuceneHybridVectorStore;
import dev.genaiplatform.retrieval.search.QueryVectorCache;
import dev.genaiplatform.retrieval.search.SearchScope;
import org.apache.lucene.store.FSDirectory;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Not a test: where the p99 of a hybrid search with the query embedded in the search (the HTTP
 * {@code /v1/vector_stores/{id}/search} path) comes from at 100k chunks, and what removes it (issue 8 item 14, wave 6).
 * Builds the {@link ScaleBenchmark} corpus once, then runs the variants <b>interleaved</b>: for each query every variant
 * runs once, in a shuffled order, so JIT state, the machine's load and GC hit all variants alike (the earlier benchmarks
 * measured one variant after another, each in its own block). Per search it records the wall time, the part spent
 * waiting for the query vector, and whether a garbage collection ran meanwhile, so the slowest 1 % can be attributed.
 * Arguments: {@code size} (100000), {@code searches} per variant (2000), {@code queries}: {@code distinct} (as many
 * different questions cut from the corpus as searches: no question is asked twice, so every embedding is real work and
 * the cache never hits) or {@code repeated} (the 10
 * questions of {@link ScaleBenchmark}, as the lead's runs used), {@code blocks} to also run the block order first.
 */
public final class EmbeddedQueryTailBenchmark {

    /** One way to answer a search whose query comes as text. */
    private interface SearchPath {
        /** Runs the search; returns the nanoseconds spent waiting for the vector. */
        long search(ChunkIndex store, SearchRequest request, String query);
    }

    /** Searches per variant before measuring, interleaved too; distinct questions of their own. */
    private static final int WARM_UP = 300;

    private record Variant(String name, SearchPath path) {
    }

    private record Sample(long nanos, long vectorWaitNanos, boolean gc) {
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int searches = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        boolean distinct = !(args.length > 2 && args[2].equals("repeated"));
        boolean blocks = args.length > 3 && args[3].equals("blocks");

        MiniLmEmbeddingModel twoThreads = new MiniLmEmbeddingModel(); // the service's session today (intra-op 2)
        MiniLmEmbeddingModel oneThread = new MiniLmEmbeddingModel(new MiniLmEmbeddingModel.Threads(1, false, 1));
        List<String> passages = ScaleBenchmark.passages();
        Map<String, float[]> realVectors = new HashMap<>();
        List<float[]> embedded = twoThreads.embed(passages);
        for (int i = 0; i < passages.size(); i++) {
            realVectors.put(passages.get(i), embedded.get(i));
        }
        List<Document> documents = ScaleBenchmark.documents(passages, size, new Random(size));
        EmbeddingModel nearReal = new ScaleBenchmark.NoisyCopies(twoThreads, realVectors, new Random(size));
        // -Dbench.index=<folder>: built there once and reused by later runs (building 100k chunks takes minutes)
        String kept = System.getProperty("bench.index");
        Path folder = kept == null ? Files.createTempDirectory("embedded-tail-") : Path.of(kept);
        List<String> queries = distinct ? distinctQueries(passages, WARM_UP + searches) : ScaleBenchmark.QUERIES;
        Map<String, float[]> handedOn = new HashMap<>();
        for (String query : queries) {
            handedOn.put(query, ChunkIndex.unitLength(twoThreads.embed(query)));
        }
        QueryVectorCache cache = new QueryVectorCache(1024); // as ChunkSearch keeps it (embedding.query-cache-size)
        ExecutorService helper = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "query-embedder");
            thread.setDaemon(true);
            return thread;
        });

        List<Variant> variants = List.of(
                new Variant("vector handed on (reference)", (store, request, query) -> {
                    store.similaritySearch(request, Legs.HYBRID, handedOn.get(query));
                    return 0;
                }),
                new Variant("embed (intra-op 2), then search: before", (store, request, query) -> {
                    long t = System.nanoTime();
                    float[] vector = ChunkIndex.unitLength(twoThreads.embed(query));
                    long waited = System.nanoTime() - t;
                    store.similaritySearch(request, Legs.HYBRID, vector);
                    return waited;
                }),
                new Variant("ChunkSearch with the query-vector cache: after", (store, request, query) -> {
                    long t = System.nanoTime();
                    float[] vector = cache.vector("tenant-0", query, () -> ChunkIndex.unitLength(twoThreads.embed(query)));
                    long waited = System.nanoTime() - t;
                    store.similaritySearch(request, Legs.HYBRID, vector);
                    return waited;
                }),
                new Variant("embed (intra-op 1), then search", (store, request, query) -> {
                    long t = System.nanoTime();
                    float[] vector = ChunkIndex.unitLength(oneThread.embed(query));
                    long waited = System.nanoTime() - t;
                    store.similaritySearch(request, Legs.HYBRID, vector);
                    return waited;
                }),
                new Variant("embed (intra-op 1) on a helper while BM25 runs", (store, request, query) ->
                        overlapped(store, request, query, oneThread, helper)));

        try (var store = new LuceneHybridVectorStore(nearReal, new HybridSearchSettings(50, 5, 60, 256), FSDirectory.open(folder))) {
            long start = System.nanoTime();
            for (int from = store.size(); from < documents.size(); from += 10_000) { // as ScaleBenchmark builds it
                store.add(documents.subList(from, Math.min(documents.size(), from + 10_000)));
            }
            System.out.printf(Locale.ROOT, "%,d chunks indexed in %.1f s; %d queries (%s); load average %.1f%n", store.size(),
                    (System.nanoTime() - start) / 1e9, queries.size(), distinct ? "distinct" : "repeated", load());
            if (blocks) {
                System.out.println("Block order (each variant 100 warm-ups + 500 searches, one after another):");
                Map<String, List<Sample>> byVariant = new LinkedHashMap<>();
                for (Variant variant : variants) {
                    run(store, variant, queries, 0, 100);
                    byVariant.put(variant.name(), run(store, variant, queries, 100, 500));
                }
                report(byVariant);
            }
            System.out.println("Interleaved (every variant once per query, shuffled order):");
            Random order = new Random(7);
            List<Variant> shuffled = new ArrayList<>(variants);
            for (int i = 0; i < WARM_UP; i++) {
                Collections.shuffle(shuffled, order);
                for (Variant variant : shuffled) {
                    run(store, variant, queries, i, 1);
                }
            }
            Map<String, List<Sample>> byVariant = new LinkedHashMap<>();
            variants.forEach(v -> byVariant.put(v.name(), new ArrayList<>()));
            GcTotals before = GcTotals.now();
            for (int i = 0; i < searches; i++) {
                Collections.shuffle(shuffled, order);
                for (Variant variant : shuffled) {
                    byVariant.get(variant.name()).addAll(run(store, variant, queries, WARM_UP + i, 1));
                }
            }
            GcTotals after = GcTotals.now();
            report(byVariant);
            System.out.printf(Locale.ROOT, "GC during the interleaved run: %d collections, %d ms in total; load average %.1f%n",
                    after.count() - before.count(), after.millis() - before.millis(), load());
        } finally {
            helper.shutdownNow();
        }
    }

    /** The query embedded on another thread while the BM25 leg runs on this one. */
    private static long overlapped(ChunkIndex store, SearchRequest request, String query, EmbeddingModel model,
                                   ExecutorService helper) {
        CompletableFuture<float[]> vector = CompletableFuture.supplyAsync(() -> ChunkIndex.unitLength(model.embed(query)), helper);
        long[] waited = new long[1];
        store.similaritySearchWhileEmbedding(request, Legs.HYBRID, () -> {
            long t = System.nanoTime();
            float[] v = vector.join();
            waited[0] = System.nanoTime() - t;
            return v;
        });
        return waited[0];
    }

    private static List<Sample> run(ChunkIndex store, Variant variant, List<String> queries, int from, int count) {
        SearchScope scope = new SearchScope("tenant-0", List.of("finance"), List.of("vs_0", "vs_1"));
        List<Sample> samples = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            String query = queries.get(i % queries.size());
            SearchRequest request = SearchRequest.builder().query(query).topK(4).filterExpression(scope.filter(null)).build();
            long gcBefore = GcTotals.now().count();
            long t = System.nanoTime();
            long waited = variant.path().search(store, request, query);
            long nanos = System.nanoTime() - t;
            samples.add(new Sample(nanos, waited, GcTotals.now().count() != gcBefore));
        }
        return samples;
    }

    private static void report(Map<String, List<Sample>> byVariant) {
        System.out.println("| variant | searches | p50 | p90 | p99 | max | slowest 1 %: waiting for the vector / the rest / with a GC |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (var entry : byVariant.entrySet()) {
            List<Sample> sorted = entry.getValue().stream().sorted(java.util.Comparator.comparingLong(Sample::nanos)).toList();
            int n = sorted.size();
            List<Sample> tail = sorted.subList(Math.max(0, n - Math.max(1, n / 100)), n);
            double wait = tail.stream().mapToLong(Sample::vectorWaitNanos).average().orElse(0) / 1e6;
            double rest = tail.stream().mapToLong(s -> s.nanos() - s.vectorWaitNanos()).average().orElse(0) / 1e6;
            long gcs = tail.stream().filter(Sample::gc).count();
            System.out.printf(Locale.ROOT, "| %s | %d | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f / %.2f ms / %d of %d |%n",
                    entry.getKey(), n, q(sorted, 0.5), q(sorted, 0.9), q(sorted, 0.99), sorted.get(n - 1).nanos() / 1e6,
                    wait, rest, gcs, tail.size());
        }
    }

    /** Questions cut from the corpus: the first 5 to 9 words of passages, each different. */
    private static List<String> distinctQueries(List<String> passages, int count) {
        Random random = new Random(11);
        Set<String> queries = new LinkedHashSet<>();
        while (queries.size() < count) {
            String[] words = passages.get(random.nextInt(passages.size())).replaceAll("[^A-Za-z0-9 ]", " ").trim().split("\\s+");
            int from = random.nextInt(Math.max(1, words.length - 9));
            int length = 5 + random.nextInt(5);
            queries.add(String.join(" ", java.util.Arrays.copyOfRange(words, from, Math.min(words.length, from + length))));
        }
        return List.copyOf(queries);
    }

    private record GcTotals(long count, long millis) {
        static GcTotals now() {
            long count = 0;
            long millis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                count += Math.max(0, gc.getCollectionCount());
                millis += Math.max(0, gc.getCollectionTime());
            }
            return new GcTotals(count, millis);
        }
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double q(List<Sample> sorted, double quantile) {
        return sorted.get(Math.max(0, (int) Math.ceil(quantile * sorted.size()) - 1)).nanos() / 1e6;
    }

    private EmbeddedQueryTailBenchmark() {
    }
}
