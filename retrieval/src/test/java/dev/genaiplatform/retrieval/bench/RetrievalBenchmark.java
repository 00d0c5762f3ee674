package dev.genaiplatform.retrieval.bench;

import dev.genaiplatform.retrieval.chunking.MarkdownHeadingChunker;
import dev.genaiplatform.retrieval.citation.Provenance;
import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import dev.genaiplatform.retrieval.ingest.MarkdownDocumentLoader;
import dev.genaiplatform.retrieval.ingest.SourceDocument;
import dev.genaiplatform.retrieval.search.HybridSearchSettings;
import dev.genaiplatform.retrieval.search.LuceneHybridVectorStore;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: measures what the service does at start-up and per request, on a real corpus.
 * <ul>
 *   <li>ingest throughput: read + chunk + embed + index, in chunks/s (best and median of several runs);</li>
 *   <li>query embedding latency alone, then full hybrid search latency (embedding + BM25 + kNN + RRF),
 *       p50/p90/p99/max over many queries after a warm-up.</li>
 * </ul>
 * Arguments: resource pattern (default {@code file:docs/**}{@code /*.md}, run from the repository root),
 * number of timed searches (default 1000), ingest runs (default 3). The README gives the command.
 */
public final class RetrievalBenchmark {

    private static final List<String> QUERIES = List.of(
            "How does retrieval rank passages?",
            "reciprocal rank fusion",
            "Why Kafka between services?",
            "what happens when a record cannot be deserialized",
            "rate limit per tenant in Redis",
            "how are citations mapped back to passages",
            "one JVM per service",
            "token budget for the prompt",
            "PII masking of e-mail addresses",
            "time to first token");

    private RetrievalBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String pattern = args.length > 0 ? args[0] : "file:docs/**/*.md";
        int searches = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int ingestRuns = args.length > 2 ? Integer.parseInt(args[2]) : 3;

        long loadStart = System.nanoTime();
        EmbeddingModel model = new MiniLmEmbeddingModel();
        model.embed("warm up the ONNX session");
        System.out.printf(Locale.ROOT, "model load + first embedding: %d ms%n", millis(System.nanoTime() - loadStart));

        List<SourceDocument> sources = new MarkdownDocumentLoader(new PathMatchingResourcePatternResolver(),
                List.of("target", "node_modules")).load(pattern);
        MarkdownHeadingChunker chunker = new MarkdownHeadingChunker(1000);
        List<Document> documents = sources.stream()
                .flatMap(source -> chunker.chunk(source.path(), source.text()).stream())
                .map(Provenance::toDocument).toList();
        int characters = sources.stream().mapToInt(source -> source.text().length()).sum();
        System.out.printf(Locale.ROOT, "corpus: %s -> %d documents, %d characters, %d chunks%n",
                pattern, sources.size(), characters, documents.size());
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("No documents match " + pattern);
        }

        long[] ingestNanos = new long[ingestRuns];
        LuceneHybridVectorStore store = null;
        for (int run = 0; run < ingestRuns; run++) {
            if (store != null) {
                store.close();
            }
            long start = System.nanoTime();
            List<SourceDocument> reread = new MarkdownDocumentLoader(new PathMatchingResourcePatternResolver(),
                    List.of("target", "node_modules")).load(pattern);
            List<Document> chunks = reread.stream()
                    .flatMap(source -> chunker.chunk(source.path(), source.text()).stream())
                    .map(Provenance::toDocument).toList();
            store = new LuceneHybridVectorStore(model, new HybridSearchSettings(50, 5, 60, 32));
            store.add(chunks);
            ingestNanos[run] = System.nanoTime() - start;
        }
        Arrays.sort(ingestNanos);
        System.out.printf(Locale.ROOT, "ingest (read+chunk+embed+index), %d runs: best %d ms = %.0f chunks/s, median %d ms = %.0f chunks/s%n",
                ingestRuns, millis(ingestNanos[0]), documents.size() * 1e9 / ingestNanos[0],
                millis(ingestNanos[ingestRuns / 2]), documents.size() * 1e9 / ingestNanos[ingestRuns / 2]);

        for (String query : QUERIES.subList(0, 3)) {
            System.out.printf(Locale.ROOT, "top 3 for \"%s\":%n", query);
            for (Document hit : store.similaritySearch(SearchRequest.builder().query(query).topK(3).build())) {
                System.out.printf(Locale.ROOT, "  %.4f %-45s %s (lexical rank %s, vector rank %s)%n", hit.getScore(),
                        hit.getId(), hit.getMetadata().get(Provenance.HEADING),
                        hit.getMetadata().getOrDefault("lexicalRank", "-"), hit.getMetadata().getOrDefault("vectorRank", "-"));
            }
        }
        for (int i = 0; i < 100; i++) {
            String query = QUERIES.get(i % QUERIES.size());
            model.embed(query);
            store.similaritySearch(SearchRequest.builder().query(query).topK(4).build());
        }
        long[] embedding = new long[searches];
        long[] search = new long[searches];
        for (int i = 0; i < searches; i++) {
            String query = QUERIES.get(i % QUERIES.size());
            long start = System.nanoTime();
            model.embed(query);
            embedding[i] = System.nanoTime() - start;
            start = System.nanoTime();
            store.similaritySearch(SearchRequest.builder().query(query).topK(4).build());
            search[i] = System.nanoTime() - start;
        }
        report("query embedding only", embedding);
        report("hybrid search, topK=4 (embedding + BM25 + kNN + RRF)", search);
        store.close();
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%s, %d runs: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", what,
                sorted.length, ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
