package dev.genaiplatform.retrieval.bench;

import dev.genaiplatform.contracts.guardrails.JudgePassagesCommand;
import dev.genaiplatform.contracts.guardrails.PassageVerdict;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.retrieval.catalog.ContentHash;
import dev.genaiplatform.retrieval.catalog.PassageVerdicts;
import dev.genaiplatform.retrieval.citation.Provenance;
import dev.genaiplatform.retrieval.ingest.PassageJudging;
import dev.genaiplatform.retrieval.ingest.PassageJudgingSettings;
import dev.genaiplatform.retrieval.messaging.GuardrailsJudge;
import dev.genaiplatform.retrieval.search.ChunkIndex;
import dev.genaiplatform.retrieval.search.HybridSearchSettings;
import dev.genaiplatform.retrieval.search.LuceneHybridVectorStore;
import dev.genaiplatform.retrieval.support.TestPostgres;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What the passage-verdict sweeps cost at scale (README, Speed, Wave 12): an index of {@code chunks} distinct passages
 * over 10 tenants (Lucene in memory; the vectors are random, the sweeps never read them), one verdict row per passage in
 * a real PostgreSQL (zonky), then a tenth of the chunks deleted. Timed: a prune that deletes that tenth, a prune that
 * finds nothing, a judging sweep with nothing to judge (guardrails' side answers at once: what retrieval's side costs),
 * and a search's attach of 4 known verdicts (no query) against 4 misses (one query).
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/bench.classpath) \
 *     dev.genaiplatform.retrieval.bench.PassageVerdictSweepBenchmark 100000</pre>
 */
public final class PassageVerdictSweepBenchmark {

    private static final int TENANTS = 10;

    private PassageVerdictSweepBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int chunks = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        var dataSource = new HikariDataSource(); // pooled, as the service's: a miss costs a query, not a connection
        dataSource.setJdbcUrl(TestPostgres.newDatabase());
        dataSource.setUsername("postgres");
        dataSource.setPassword("postgres");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        JsonMapper json = JsonMapper.builder().build();
        try (LuceneHybridVectorStore index = new LuceneHybridVectorStore(new RandomVectors(),
                new HybridSearchSettings(50, 5, 60, 256))) {
            long started = System.nanoTime();
            List<Document> documents = new ArrayList<>(chunks);
            List<Object[]> rows = new ArrayList<>(chunks);
            String verdict = json.writeValueAsString(allowed());
            for (int i = 0; i < chunks; i++) {
                String tenant = "tenant-" + (i % TENANTS);
                String text = "Passage " + i + ": " + "the kettle's warranty covers the heating element. ".repeat(12);
                documents.add(Document.builder().id("f" + i + "#0").text(text).metadata(Map.of(Provenance.TENANT, tenant,
                        Provenance.VECTOR_STORE_ID, "vs", Provenance.GROUPS, List.of(Provenance.EVERYONE))).build());
                rows.add(new Object[] {tenant, ContentHash.sha256(text), verdict, Timestamp.from(Instant.now())});
            }
            for (int from = 0; from < chunks; from += 10_000) {
                index.add(documents.subList(from, Math.min(chunks, from + 10_000)));
            }
            new JdbcTemplate(dataSource).batchUpdate("insert into passage_verdicts (tenant_id, text_sha256, verdict, "
                    + "judged_at) values (?, ?, cast(? as jsonb), ?)", rows);
            List<String> deleted = new ArrayList<>();
            for (int i = 0; i < chunks; i += 10) {
                deleted.add("f" + i + "#0");
            }
            for (int from = 0; from < deleted.size(); from += 1_000) { // a delete by ids is one query: at most 1,024 clauses
                index.delete(deleted.subList(from, Math.min(deleted.size(), from + 1_000)));
            }
            System.out.printf("set-up: %d chunks, %d rows, %d deleted chunks in %d s%n", index.size(), rows.size(),
                    deleted.size(), (System.nanoTime() - started) / 1_000_000_000);

            PassageVerdicts verdicts = new PassageVerdicts(jdbc, json, Duration.ofSeconds(10));
            time("load into memory", () -> verdicts.load().size());
            time("prune (a tenth gone)", () -> verdicts.prune(passage -> index.forEachPassage(Provenance.TENANT, passage)));
            time("prune (nothing gone)", () -> verdicts.prune(passage -> index.forEachPassage(Provenance.TENANT, passage)));
            PassageJudging judging = new PassageJudging(verdicts, new InstantGuardrails(), new PassageJudgingSettings(true,
                    Duration.ofSeconds(1), 64, Duration.ZERO, Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO));
            time("judging sweep (all current)", () -> judging.judgeStillUnjudged(
                    passage -> index.forEachPassage(Provenance.TENANT, passage)));

            List<RetrievedChunk> known = new ArrayList<>();
            List<RetrievedChunk> unknown = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                known.add(chunk(documents.get(i).getText()));
                unknown.add(chunk("never judged " + i));
            }
            List<String> tenants = List.of("tenant-1", "tenant-2", "tenant-3", "tenant-4");
            PassageVerdicts missing = new PassageVerdicts(jdbc, json, Duration.ZERO); // every miss goes to the table
            for (int round = 0; round < 3; round++) {
                System.out.printf("attach 4 known: %.1f us/search; 4 misses (one query each search): %.1f us/search%n",
                        perSearch(() -> verdicts.attach(known, tenants)), perSearch(() -> missing.attach(unknown, tenants)));
            }
            System.out.printf("table lookups: %d by the instance whose searches' verdicts were all known (sweeps included), "
                    + "%d by the one whose were all missing%n", verdicts.tableLookups(), missing.tableLookups());
        }
    }

    private static double perSearch(Runnable search) {
        int searches = 2_000;
        for (int i = 0; i < 200; i++) {
            search.run();
        }
        long started = System.nanoTime();
        for (int i = 0; i < searches; i++) {
            search.run();
        }
        return (System.nanoTime() - started) / 1_000.0 / searches;
    }

    private static void time(String what, java.util.function.IntSupplier step) {
        long started = System.nanoTime();
        int result = step.getAsInt();
        System.out.printf("%-30s %6d ms (result %d)%n", what, (System.nanoTime() - started) / 1_000_000, result);
    }

    private static PassageVerdict allowed() {
        return new PassageVerdict(Verdict.ALLOWED, 0.01, List.of(), null, "default:bench0000000000", Instant.now());
    }

    private static RetrievedChunk chunk(String text) {
        return new RetrievedChunk("c#0", "c.md", null, 0, text.length(), text, 1.0, null, null, null, null, null);
    }

    /** Guardrails' side answering at once, under the fingerprint the rows carry. */
    private static final class InstantGuardrails extends GuardrailsJudge {
        InstantGuardrails() {
            super(null, Duration.ofSeconds(1));
        }

        @Override
        public Optional<List<PassageVerdict>> judge(String key, JudgePassagesCommand command, String token) {
            return Optional.of(command.texts().stream().map(text -> allowed()).toList());
        }
    }

    /** Random unit vectors: the sweeps read stored text and tenant only. */
    private static final class RandomVectors implements EmbeddingModel {
        private final SplittableRandom random = new SplittableRandom(7);

        @Override
        public EmbeddingResponse call(EmbeddingRequest request) {
            List<Embedding> embeddings = new ArrayList<>();
            for (int i = 0; i < request.getInstructions().size(); i++) {
                float[] vector = new float[384];
                for (int d = 0; d < vector.length; d++) {
                    vector[d] = (float) random.nextGaussian();
                }
                embeddings.add(new Embedding(ChunkIndex.unitLength(vector), i));
            }
            return new EmbeddingResponse(embeddings);
        }

        @Override
        public float[] embed(Document document) {
            return call(new EmbeddingRequest(List.of(document.getText()), null)).getResults().getFirst().getOutput();
        }

        @Override
        public int dimensions() {
            return 384;
        }
    }
}
