package dev.genaiplatform.retrieval.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.genaiplatform.contracts.retrieval.TextEmbedding;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.retrieval.chunking.MarkdownHeadingChunker;
import dev.genaiplatform.retrieval.citation.Provenance;
import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import dev.genaiplatform.retrieval.ingest.MarkdownDocumentLoader;
import dev.genaiplatform.retrieval.ingest.SourceDocument;
import dev.genaiplatform.retrieval.rerank.CrossFeatureReranker;
import dev.genaiplatform.retrieval.search.ChunkSearch;
import dev.genaiplatform.retrieval.search.HybridSearchSettings;
import dev.genaiplatform.retrieval.search.LuceneHybridVectorStore;
import dev.genaiplatform.retrieval.search.SearchLimits;
import dev.genaiplatform.retrieval.search.SearchScope;
import dev.genaiplatform.retrieval.security.SecurityConfiguration;
import dev.genaiplatform.tokenverification.CachingJwtDecoder;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Not a test: what issue 13's cheap-pipeline changes save, each measured side by side in one JVM, variants alternating
 * round by round so that load from other processes hits them alike. CPU is the process's CPU time
 * ({@code OperatingSystemMXBean#getProcessCpuTime}, every thread, ONNX Runtime's native ones included), divided by the
 * operations done; latency is wall time per operation.
 * <ul>
 *   <li>{@code tokens}: verifying one request's internal token on every record, without and with the cache;</li>
 *   <li>{@code embed}: one query embedding, langchain4j's default ONNX session vs this service's thread settings,
 *       back to back and paced (a query every 5 ms, so spinning workers have idle time to burn);</li>
 *   <li>{@code ingest}: embedding the docs' chunks one by one vs in batches of 32 (each setting);</li>
 *   <li>{@code search}: a re-ranked hybrid search embedding its query twice (before), once (after), or not at all
 *       (a matching vector handed on).</li>
 * </ul>
 * Arguments: which parts (default {@code tokens,embed,ingest,search}; {@code profile} records a JFR of the searches
 * to {@code retrieval/target/search-loop.jfr}), rounds (default 5). Run from the repository root.
 */
public final class PipelineCostBenchmark {

    private static final List<String> QUERIES = List.of("How does retrieval rank passages?", "reciprocal rank fusion",
            "Why Kafka between services?", "what happens when a record cannot be deserialized", "rate limit per tenant in Redis",
            "how are citations mapped back to passages", "one JVM per service", "token budget for the prompt",
            "PII masking of e-mail addresses", "time to first token");
    /** The first chunks of the docs corpus (all of it, ~500, takes too long on a loaded machine). */
    private static final int INGEST_CHUNKS = 128;
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private PipelineCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> parts = List.of((args.length > 0 ? args[0] : "tokens,embed,ingest,search").split(","));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf(Locale.ROOT, "%d cores, load average %.1f at start%n", OS.getAvailableProcessors(), OS.getSystemLoadAverage());
        if (parts.contains("tokens")) {
            tokens(rounds);
        }
        if (parts.contains("embed")) {
            embed(rounds);
        }
        if (parts.contains("ingest")) {
            ingest(rounds);
        }
        if (parts.contains("search") || parts.contains("profile")) {
            search(rounds, parts.contains("profile"));
        }
    }

    private static void tokens(int rounds) throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("bench").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("bench").build(), new JWTClaimsSet.Builder()
                .issuer(InternalToken.ISSUER).audience(InternalToken.AUDIENCE).subject("key-1").claim(InternalToken.CLAIM_TENANT, "acme")
                .claim(InternalToken.CLAIM_SCOPE, "chat documents").expirationTime(java.util.Date.from(Instant.now().plusSeconds(3600))).build());
        jwt.sign(new ECDSASigner(key));
        String token = jwt.serialize();
        var processor = new com.nimbusds.jwt.proc.DefaultJWTProcessor<com.nimbusds.jose.proc.SecurityContext>();
        processor.setJWSKeySelector(new com.nimbusds.jose.proc.JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                new com.nimbusds.jose.jwk.source.ImmutableJWKSet<>(new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()))));
        processor.setJWTClaimsSetVerifier((claims, context) -> { }); // Spring's validator below checks the claims
        NimbusJwtDecoder nimbus = new NimbusJwtDecoder(processor);
        nimbus.setJwtValidator(SecurityConfiguration.internalTokenValidator());
        Map<String, JwtDecoder> variants = new LinkedHashMap<>();
        variants.put("verify every record (before)", nimbus);
        variants.put("CachingJwtDecoder (after)", new CachingJwtDecoder(nimbus));
        measure("tokens: one verification of a request's token", rounds, 2_000, variants, decoder -> i -> decoder.decode(token));
    }

    private static void embed(int rounds) throws Exception {
        Map<String, Function<String, float[]>> variants = embeddingVariants();
        for (long pauseMillis : new long[] {0, 5}) {
            Map<String, Function<String, float[]>> paced = new LinkedHashMap<>(variants);
            measure("embed: one query " + (pauseMillis == 0 ? "(back to back)" : "(a query every " + pauseMillis + " ms)"),
                    rounds, pauseMillis == 0 ? 300 : 150, paced, model -> i -> {
                        model.apply(QUERIES.get(i % QUERIES.size()));
                        pause(pauseMillis);
                    });
        }
    }

    private static void ingest(int rounds) {
        List<String> texts = chunks().stream().map(Document::getText).limit(INGEST_CHUNKS).toList();
        System.out.printf(Locale.ROOT, "%ningest: %d chunks of the docs, mean %d characters%n", texts.size(),
                texts.stream().mapToInt(String::length).sum() / texts.size());
        Map<String, EmbeddingModel> models = new LinkedHashMap<>();
        models.put("intra-op 1, no spin", new MiniLmEmbeddingModel(new MiniLmEmbeddingModel.Threads(1, false, 2)));
        models.put("intra-op 2, no spin", new MiniLmEmbeddingModel(new MiniLmEmbeddingModel.Threads(2, false, 2)));
        models.put("intra-op 2, spinning (ORT default)", new MiniLmEmbeddingModel(new MiniLmEmbeddingModel.Threads(2, true, 2)));
        Map<String, Consumer<Integer>> variants = new LinkedHashMap<>();
        AllMiniLmL6V2QuantizedEmbeddingModel langchain4j = new AllMiniLmL6V2QuantizedEmbeddingModel();
        variants.put("langchain4j default, batches of 32", i -> batches(texts, 32, b -> langchain4j.embedAll(b.stream().map(TextSegment::from).toList())));
        variants.put("intra-op 1, no spin, one at a time", i -> texts.forEach(models.get("intra-op 1, no spin")::embed));
        models.forEach((name, model) -> variants.put(name + ", batches of 32", i -> batches(texts, 32, model::embed)));
        measure("ingest: embedding every chunk (per chunk)", rounds, 1, variants, v -> v, texts.size());
    }

    private static void search(int rounds, boolean profileOnly) throws Exception {
        MiniLmEmbeddingModel model = new MiniLmEmbeddingModel();
        List<Document> documents = chunks();
        SearchScope scope = new SearchScope("bench", List.of(), List.of("vs_bench"));
        List<Document> scoped = documents.stream().map(d -> {
            Map<String, Object> metadata = new LinkedHashMap<>(d.getMetadata());
            metadata.put(Provenance.TENANT, "bench");
            metadata.put(Provenance.VECTOR_STORE_ID, "vs_bench");
            metadata.put(Provenance.GROUPS, List.of(Provenance.EVERYONE));
            return Document.builder().id(d.getId()).text(d.getText()).metadata(metadata).build();
        }).toList();
        try (LuceneHybridVectorStore index = new LuceneHybridVectorStore(model, new HybridSearchSettings(50, 5, 60, 32))) {
            index.add(scoped);
            VectorStore plain = new PlainVectorStore(index); // hides the vector-taking method: the store embeds again
            var limits = new SearchLimits(4, 20, 2000);
            var rerank = new CrossFeatureReranker(CrossFeatureReranker.Weights.DEFAULT);
            ChunkSearch before = new ChunkSearch(plain, limits, new SimpleMeterRegistry(), rerank, model, 20, null, null);
            ChunkSearch after = new ChunkSearch(index, limits, new SimpleMeterRegistry(), rerank, model, 20, null, null);
            Map<String, TextEmbedding> handedOn = new LinkedHashMap<>();
            QUERIES.forEach(q -> handedOn.put(q, new TextEmbedding(TextEmbedding.MINILM_L6_V2_Q, q, model.embed(q))));
            Map<String, Consumer<Integer>> variants = new LinkedHashMap<>();
            variants.put("re-ranked, query embedded twice (before)", i -> before.search(scope, QUERIES.get(i % QUERIES.size()), 4, null));
            variants.put("re-ranked, embedded once (after)", i -> after.search(scope, QUERIES.get(i % QUERIES.size()), 4, null));
            variants.put("re-ranked, vector handed on (after)", i -> {
                String q = QUERIES.get(i % QUERIES.size());
                after.search(scope, q, 4, null, 1, false, List.of(), false, handedOn.get(q));
            });
            ChunkSearch plainSearch = new ChunkSearch(index, limits, new SimpleMeterRegistry(), dev.genaiplatform.retrieval.rerank.Reranker.NONE,
                    model, 20, null, null);
            if (profileOnly) { // the platform's default: no re-ranker, the vector handed on by guardrails
                profile(i -> plainSearch.search(scope, QUERIES.get(i % QUERIES.size()), 4, null, 1, false, List.of(), false,
                        handedOn.get(QUERIES.get(i % QUERIES.size()))));
                return;
            }
            variants.put("no re-ranker, embedded once (before and after)", i -> plainSearch.search(scope, QUERIES.get(i % QUERIES.size()), 4, null));
            variants.put("no re-ranker, vector handed on (after)", i -> {
                String q = QUERIES.get(i % QUERIES.size());
                plainSearch.search(scope, q, 4, null, 1, false, List.of(), false, handedOn.get(q));
            });
            measure("search: hybrid, topK 4, " + scoped.size() + " chunks", rounds, 300, variants, v -> v);
        }
    }

    /** A JFR recording (profile settings) of 20,000 searches after 2,000 warm-ups, to target/search-loop.jfr. */
    private static void profile(Consumer<Integer> search) throws Exception {
        for (int i = 0; i < 2_000; i++) {
            search.accept(i);
        }
        try (var recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"))) {
            recording.start();
            long cpu = OS.getProcessCpuTime();
            for (int i = 0; i < 20_000; i++) {
                search.accept(i);
            }
            System.out.printf(Locale.ROOT, "%nprofile: 20000 searches without re-ranker, the vector handed on, CPU %.3f ms each%n",
                    (OS.getProcessCpuTime() - cpu) / 1e6 / 20_000);
            recording.stop();
            recording.dump(java.nio.file.Path.of("retrieval/target/search-loop.jfr"));
        }
    }

    private static Map<String, Function<String, float[]>> embeddingVariants() {
        Map<String, Function<String, float[]>> variants = new LinkedHashMap<>();
        AllMiniLmL6V2QuantizedEmbeddingModel langchain4j = new AllMiniLmL6V2QuantizedEmbeddingModel();
        variants.put("langchain4j default session (before)", text -> langchain4j.embed(text).content().vector());
        for (var threads : List.of(new MiniLmEmbeddingModel.Threads(1, false, 2), new MiniLmEmbeddingModel.Threads(2, false, 2),
                new MiniLmEmbeddingModel.Threads(2, true, 2))) {
            MiniLmEmbeddingModel model = new MiniLmEmbeddingModel(threads);
            variants.put("intra-op " + threads.intraOp() + (threads.spinning() ? ", spinning" : ", no spin"), model::embed);
        }
        return variants;
    }

    /** Runs every variant {@code perRound} times per round, rounds interleaved; prints CPU and latency per operation. */
    private static <V> void measure(String title, int rounds, int perRound, Map<String, V> variants,
                                    Function<V, Consumer<Integer>> operation) {
        measure(title, rounds, perRound, variants, operation, 1);
    }

    private static <V> void measure(String title, int rounds, int perRound, Map<String, V> variants,
                                    Function<V, Consumer<Integer>> operation, int unitsPerOperation) {
        Map<String, long[]> cpu = new LinkedHashMap<>();
        Map<String, List<Long>> latencies = new LinkedHashMap<>();
        variants.keySet().forEach(name -> {
            cpu.put(name, new long[1]);
            latencies.put(name, new ArrayList<>());
        });
        for (int round = -1; round < rounds; round++) { // round -1 warms up
            for (var variant : variants.entrySet()) {
                Consumer<Integer> op = operation.apply(variant.getValue());
                long cpuStart = OS.getProcessCpuTime();
                for (int i = 0; i < perRound; i++) {
                    long start = System.nanoTime();
                    op.accept(i);
                    if (round >= 0) {
                        latencies.get(variant.getKey()).add(System.nanoTime() - start);
                    }
                }
                if (round >= 0) {
                    cpu.get(variant.getKey())[0] += OS.getProcessCpuTime() - cpuStart;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n%s, %d rounds x %d, load average now %.1f%n", title, rounds, perRound, OS.getSystemLoadAverage());
        for (String name : variants.keySet()) {
            long[] sorted = latencies.get(name).stream().mapToLong(Long::longValue).sorted().toArray();
            double units = (double) sorted.length * unitsPerOperation;
            double wallSeconds = Arrays.stream(sorted).sum() / 1e9;
            System.out.printf(Locale.ROOT, "  %-48s CPU %8.3f ms/op   wall p50 %7.2f ms  p99 %7.2f ms%s%n", name,
                    cpu.get(name)[0] / 1e6 / units, quantile(sorted, 0.5) / 1e6 / unitsPerOperation,
                    quantile(sorted, 0.99) / 1e6 / unitsPerOperation,
                    unitsPerOperation > 1 ? String.format(Locale.ROOT, "   %.0f per s", units / wallSeconds) : "");
        }
    }

    private static List<Document> chunks() {
        List<SourceDocument> sources = new MarkdownDocumentLoader(new PathMatchingResourcePatternResolver(),
                List.of("target", "node_modules")).load("file:docs/**/*.md");
        MarkdownHeadingChunker chunker = new MarkdownHeadingChunker(1000);
        return sources.stream().flatMap(source -> chunker.chunk(source.path(), source.text()).stream()).map(Provenance::toDocument).toList();
    }

    private static void batches(List<String> texts, int size, Consumer<List<String>> embed) {
        for (int from = 0; from < texts.size(); from += size) {
            embed.accept(texts.subList(from, Math.min(texts.size(), from + size)));
        }
    }

    private static long quantile(long[] sorted, double q) {
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static void pause(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The index seen as a plain Spring AI store: a search through it embeds its own query (the "before" path). */
    private record PlainVectorStore(LuceneHybridVectorStore index) implements VectorStore {
        @Override
        public void add(List<Document> documents) {
            index.add(documents);
        }

        @Override
        public void delete(List<String> idList) {
            index.delete(idList);
        }

        @Override
        public void delete(Filter.Expression filterExpression) {
            index.delete(filterExpression);
        }

        @Override
        public List<Document> similaritySearch(SearchRequest request) {
            return index.similaritySearch(request);
        }
    }
}
