package dev.genaiplatform.retrieval.bench;

import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import dev.genaiplatform.retrieval.search.ChunkIndex;
import dev.genaiplatform.retrieval.search.ChunkIndex.Legs;
import dev.genaiplatform.retrieval.search.HybridSearchSettings;
import dev.genaiplatform.retrieval.search.LuceneHybridVectorStore;
import dev.genaiplatform.retrieval.search.SearchScope;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Not a test: where the tail of a hybrid search at 100k chunks comes from, side by side in one JVM (issue 8 item 14).
 * Builds the same corpus as {@link ScaleBenchmark} once, copies the folder and force-merges the copy to one segment,
 * then measures round after round, in turn: hybrid with the query embedded here, hybrid with the query vector handed
 * on (as the platform does: guardrails' vector), and each leg alone with the vector handed on, on the index as built
 * and on the merged copy. Latency is wall time; CPU is the process's CPU time per search.
 * Arguments: size (default 100000), rounds (default 4), searches per round and variant (default 250); or
 * {@code merge [size] [rounds]} for what the merge policy costs at ingestion ({@link #mergeCost}).
 */
public final class SearchTailBenchmark {

    private record Variant(String name, ChunkIndex store, Legs legs, boolean handOn) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("merge")) {
            mergeCost(args.length > 1 ? Integer.parseInt(args[1]) : 20_000, args.length > 2 ? Integer.parseInt(args[2]) : 2);
            return;
        }
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int perRound = args.length > 2 ? Integer.parseInt(args[2]) : 250;
        MiniLmEmbeddingModel model = new MiniLmEmbeddingModel();
        List<String> passages = ScaleBenchmark.passages();
        Map<String, float[]> realVectors = new HashMap<>();
        List<float[]> embedded = model.embed(passages);
        for (int i = 0; i < passages.size(); i++) {
            realVectors.put(passages.get(i), embedded.get(i));
        }
        EmbeddingModel nearReal = new ScaleBenchmark.NoisyCopies(model, realVectors, new Random(size));
        List<Document> documents = ScaleBenchmark.documents(passages, size, new Random(size));
        HybridSearchSettings settings = new HybridSearchSettings(50, 5, 60, 256);

        Path built = Files.createTempDirectory("tail-built-");
        long start = System.nanoTime();
        try (var store = new LuceneHybridVectorStore(nearReal, settings, FSDirectory.open(built))) {
            for (int from = 0; from < documents.size(); from += 1_000) { // a commit per 1,000 chunks, merges as the service's
                store.add(documents.subList(from, Math.min(documents.size(), from + 1_000)));
            }
        }
        System.out.printf(Locale.ROOT, "built %,d chunks in %.1f s, %d segments%n", size, (System.nanoTime() - start) / 1e9, segments(built));
        Path merged = Files.createTempDirectory("tail-merged-");
        try (var from = FSDirectory.open(built); var to = FSDirectory.open(merged)) {
            for (String file : from.listAll()) {
                if (!file.equals("write.lock")) {
                    to.copyFrom(from, file, file, org.apache.lucene.store.IOContext.DEFAULT);
                }
            }
        }
        start = System.nanoTime();
        try (var directory = FSDirectory.open(merged); var writer = new IndexWriter(directory, new IndexWriterConfig())) {
            writer.forceMerge(1);
        }
        System.out.printf(Locale.ROOT, "force-merged a copy to %d segment in %.1f s%n", segments(merged), (System.nanoTime() - start) / 1e9);

        Map<String, float[]> queryVectors = new HashMap<>();
        for (String query : ScaleBenchmark.QUERIES) {
            queryVectors.put(query, ChunkIndexAccess.unit(model.embed(query)));
        }
        try (var asBuilt = new LuceneHybridVectorStore(model, settings, FSDirectory.open(built));
             var oneSegment = new LuceneHybridVectorStore(model, settings, FSDirectory.open(merged))) {
            List<Variant> variants = new ArrayList<>();
            for (var entry : Map.of("as built", asBuilt, "1 segment", oneSegment).entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())).toList()) {
                variants.add(new Variant(entry.getKey() + ", hybrid, query embedded", entry.getValue(), Legs.HYBRID, false));
                variants.add(new Variant(entry.getKey() + ", hybrid, vector handed on", entry.getValue(), Legs.HYBRID, true));
                variants.add(new Variant(entry.getKey() + ", kNN alone, vector handed on", entry.getValue(), Legs.VECTOR_ONLY, true));
                variants.add(new Variant(entry.getKey() + ", BM25 alone", entry.getValue(), Legs.LEXICAL_ONLY, true));
            }
            measure(variants, queryVectors, rounds, perRound);
        }
    }

    /**
     * What the merge policy costs at ingestion: {@code size} chunks indexed as the service does, a commit per 100-chunk
     * file (vectors precomputed, so this is indexing and merging alone), with Lucene's default policy and with
     * {@link LuceneHybridVectorStore#mergePolicy()}, in turn, {@code rounds} times; wall time, process CPU, segments.
     */
    private static void mergeCost(int size, int rounds) throws Exception {
        MiniLmEmbeddingModel model = new MiniLmEmbeddingModel();
        List<String> passages = ScaleBenchmark.passages();
        Map<String, float[]> realVectors = new HashMap<>();
        List<float[]> embedded = model.embed(passages);
        for (int i = 0; i < passages.size(); i++) {
            realVectors.put(passages.get(i), embedded.get(i));
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, java.util.function.Supplier<org.apache.lucene.index.MergePolicy>> policies = new LinkedHashMap<>();
        policies.put("Lucene's default TieredMergePolicy", org.apache.lucene.index.TieredMergePolicy::new);
        policies.put("mergePolicy() (4 per tier, 64 MB floor)", LuceneHybridVectorStore::mergePolicy);
        for (int round = 0; round < rounds; round++) {
            for (var policy : policies.entrySet()) {
                List<Document> documents = ScaleBenchmark.documents(passages, size, new Random(size));
                EmbeddingModel nearReal = new ScaleBenchmark.NoisyCopies(model, realVectors, new Random(size));
                Path folder = Files.createTempDirectory("merge-cost-");
                long wall = System.nanoTime();
                long cpu = os.getProcessCpuTime();
                try (var store = new LuceneHybridVectorStore(nearReal, new HybridSearchSettings(50, 5, 60, 256),
                        FSDirectory.open(folder), policy.getValue().get())) {
                    for (int from = 0; from < documents.size(); from += 100) {
                        store.add(documents.subList(from, Math.min(documents.size(), from + 100)));
                    }
                }
                System.out.printf(Locale.ROOT, "round %d, %s: %,d chunks in %.1f s wall, %.1f s CPU, %d segments, load %.1f%n",
                        round, policy.getKey(), size, (System.nanoTime() - wall) / 1e9, (os.getProcessCpuTime() - cpu) / 1e9,
                        segments(folder), os.getSystemLoadAverage());
            }
        }
    }

    static void measure(List<Variant> variants, Map<String, float[]> queryVectors, int rounds, int perRound) {
        SearchScope scope = new SearchScope("tenant-0", List.of("finance"), List.of("vs_0", "vs_1"));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, List<Long>> nanos = new LinkedHashMap<>();
        Map<String, Long> cpu = new LinkedHashMap<>();
        for (Variant variant : variants) { // warm-up
            for (int i = 0; i < 200; i++) {
                search(variant, scope, queryVectors, i);
            }
        }
        System.out.printf(Locale.ROOT, "load average before: %.1f%n", os.getSystemLoadAverage());
        for (int round = 0; round < rounds; round++) {
            for (Variant variant : variants) {
                long cpuStart = os.getProcessCpuTime();
                List<Long> times = nanos.computeIfAbsent(variant.name(), k -> new ArrayList<>());
                for (int i = 0; i < perRound; i++) {
                    long t = System.nanoTime();
                    search(variant, scope, queryVectors, i + round);
                    times.add(System.nanoTime() - t);
                }
                cpu.merge(variant.name(), os.getProcessCpuTime() - cpuStart, Long::sum);
            }
        }
        System.out.printf(Locale.ROOT, "load average after: %.1f%n", os.getSystemLoadAverage());
        System.out.println("| variant | CPU per search | p50 | p90 | p99 |");
        System.out.println("|---|---|---|---|---|");
        for (var entry : nanos.entrySet()) {
            long[] sorted = entry.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "| %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms |%n", entry.getKey(),
                    cpu.get(entry.getKey()) / 1e6 / sorted.length, q(sorted, 0.5), q(sorted, 0.9), q(sorted, 0.99));
        }
    }

    private static void search(Variant variant, SearchScope scope, Map<String, float[]> queryVectors, int i) {
        String query = ScaleBenchmark.QUERIES.get(i % ScaleBenchmark.QUERIES.size());
        var request = SearchRequest.builder().query(query).topK(4).filterExpression(scope.filter(null)).build();
        variant.store().similaritySearch(request, variant.legs(), variant.handOn() ? queryVectors.get(query) : null);
    }

    private static int segments(Path folder) throws java.io.IOException {
        try (var directory = FSDirectory.open(folder); var reader = DirectoryReader.open(directory)) {
            return reader.leaves().size();
        }
    }

    private static double q(long[] sorted, double quantile) {
        return sorted[Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    /** {@code ChunkIndex.unitLength} is package-private; the same normalisation. */
    private static final class ChunkIndexAccess {
        static float[] unit(float[] v) {
            double sum = 0;
            for (float x : v) {
                sum += x * x;
            }
            float[] out = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = (float) (v[i] / Math.sqrt(sum));
            }
            return out;
        }
    }
}
