package dev.genaiplatform.retrieval.catalog;

import dev.genaiplatform.contracts.guardrails.JudgePassagesCommand;
import dev.genaiplatform.contracts.guardrails.PassageVerdict;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.retrieval.citation.Provenance;
import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import dev.genaiplatform.retrieval.ingest.PassageJudging;
import dev.genaiplatform.retrieval.ingest.PassageJudgingSettings;
import dev.genaiplatform.retrieval.messaging.GuardrailsJudge;
import dev.genaiplatform.retrieval.search.HybridSearchSettings;
import dev.genaiplatform.retrieval.search.LuceneHybridVectorStore;
import dev.genaiplatform.retrieval.support.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Passage verdicts shared by several instances over one real PostgreSQL (two {@link PassageVerdicts} on one database,
 * as two retrieval instances on pgvector), pruned of texts no longer indexed, tenant by tenant, without losing a
 * verdict that indexing stores or reuses while the sweep runs, and judged by a sweep where they lack a verdict under
 * guardrails' current policy.
 */
class PassageVerdictsTableIT {

    private static final JdbcClient JDBC = migratedDatabase();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final LuceneHybridVectorStore INDEX = new LuceneHybridVectorStore(new MiniLmEmbeddingModel(),
            new HybridSearchSettings(50, 5, 60, 32));

    @AfterAll
    static void close() throws Exception {
        INDEX.close();
    }

    @Test
    void aVerdictStoredByOneInstanceIsUsedByAnotherAtOnceAndAKnownOneCostsNoQuery() {
        PassageVerdicts judging = new PassageVerdicts(JDBC, JSON, Duration.ofHours(1)).load();
        PassageVerdicts searching = new PassageVerdicts(JDBC, JSON, Duration.ofHours(1)).load();
        String judged = "Descale the kettle once a month with citric acid.";
        String neverJudged = "The warranty lasts two years from delivery.";

        judging.save("share-a", List.of(judged), List.of(verdict(Verdict.ALLOWED)));
        List<RetrievedChunk> first = searching.attach(List.of(chunk(judged), chunk(neverJudged)), List.of("share-a", "share-a"));

        assertThat(first.get(0).verdict()).isNotNull().extracting(PassageVerdict::verdict).isEqualTo(Verdict.ALLOWED);
        assertThat(first.get(1).verdict()).isNull();
        assertThat(searching.tableLookups()).as("one query for both misses").isEqualTo(1);

        for (int search = 0; search < 5; search++) {
            assertThat(searching.attach(List.of(chunk(judged)), List.of("share-a")).getFirst().verdict()).isNotNull();
            assertThat(searching.attach(List.of(chunk(neverJudged)), List.of("share-a")).getFirst().verdict()).isNull();
        }
        assertThat(searching.tableLookups()).as("known verdicts and recent misses cost no query").isEqualTo(1);

        assertThat(searching.attach(List.of(chunk(judged)), List.of("share-b")).getFirst().verdict())
                .as("another tenant's verdict about the same text is not this tenant's").isNull();
        assertThat(searching.unjudged("share-a", List.of(judged, neverJudged, judged))).containsExactly(neverJudged);
    }

    @Test
    void aTextFoundInNeitherIsLookedUpAgainOnlyAfterRecheckAfter() {
        PassageVerdicts judging = new PassageVerdicts(JDBC, JSON, Duration.ofHours(1)).load();
        PassageVerdicts searching = new PassageVerdicts(JDBC, JSON, Duration.ofSeconds(3)).load();
        String text = "Kettles with a limescale filter need descaling less often.";

        assertThat(searching.attach(chunk(text), "recheck-a").verdict()).isNull();
        judging.save("recheck-a", List.of(text), List.of(verdict(Verdict.BLOCKED)));
        assertThat(searching.attach(chunk(text), "recheck-a").verdict()).as("a recent miss is not looked up again").isNull();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(searching.attach(chunk(text), "recheck-a")
                .verdict()).isNotNull().extracting(PassageVerdict::verdict).isEqualTo(Verdict.BLOCKED));
        assertThat(searching.tableLookups()).isEqualTo(2);
    }

    @Test
    void aPruneDeletesTheVerdictsOfTextsNoLongerIndexedForTheirTenantOnly() {
        PassageVerdicts verdicts = new PassageVerdicts(JDBC, JSON, Duration.ofHours(1)).load();
        String shared = "Returns are accepted within thirty days.";
        String kept = "Refunds go back to the original card.";
        String deletedFile = "Old price list: kettles cost 20 euros.";
        String corpus = "The platform routes every request through the gateway.";
        INDEX.add(List.of(document("prune-a", "prune-a/f1#0", shared), document("prune-a", "prune-a/f1#1", kept),
                document("prune-b", "prune-b/f9#0", shared), document(Provenance.PUBLIC_TENANT, "docs/gw.md#0", corpus)));
        verdicts.save("prune-a", List.of(shared, kept, deletedFile), verdicts(3));
        verdicts.save("prune-b", List.of(shared, deletedFile), verdicts(2));
        verdicts.save(Provenance.PUBLIC_TENANT, List.of(corpus), verdicts(1));

        verdicts.prune(passage -> INDEX.forEachPassage(Provenance.TENANT, passage));

        assertThat(rows("prune-a")).containsExactlyInAnyOrder(ContentHash.sha256(shared), ContentHash.sha256(kept));
        assertThat(rows("prune-b")).containsExactly(ContentHash.sha256(shared));
        assertThat(rows(Provenance.PUBLIC_TENANT)).contains(ContentHash.sha256(corpus));

        INDEX.delete(List.of("prune-a/f1#0")); // tenant a's file goes; tenant b still has the same text indexed
        verdicts.prune(passage -> INDEX.forEachPassage(Provenance.TENANT, passage));

        assertThat(rows("prune-a")).containsExactly(ContentHash.sha256(kept));
        assertThat(rows("prune-b")).containsExactly(ContentHash.sha256(shared));
        assertThat(verdicts.attach(chunk(shared), "prune-a").verdict()).as("forgotten in memory too").isNull();
        assertThat(verdicts.attach(chunk(shared), "prune-b").verdict()).isNotNull();
    }

    @Test
    void aVerdictStoredOrReusedWhileTheSweepRunsIsKeptAndOnePrunedBeforeReuseIsJudgedAgain() {
        PassageVerdicts sweeping = new PassageVerdicts(JDBC, JSON, Duration.ofHours(1)).load();
        PassageVerdicts indexing = new PassageVerdicts(JDBC, JSON, Duration.ofHours(1)).load();
        String storedDuring = "New kettles ship with a two-year warranty.";
        String reusedDuring = "Kettles must be unplugged before cleaning.";
        String reusedAfter = "The kettle's lid opens with a button.";
        indexing.save("race-a", List.of(reusedDuring, reusedAfter), verdicts(2));

        // none of the three texts is in the index when the pass reads it; indexing publishes and judges meanwhile
        sweeping.prune(passage -> {
            INDEX.forEachPassage(Provenance.TENANT, passage);
            indexing.save("race-a", List.of(storedDuring), verdicts(1));
            assertThat(indexing.confirmInUse("race-a", List.of(reusedDuring))).isEmpty();
        });

        assertThat(rows("race-a")).containsExactlyInAnyOrder(ContentHash.sha256(storedDuring),
                ContentHash.sha256(reusedDuring));
        assertThat(indexing.confirmInUse("race-a", List.of(reusedAfter, reusedDuring)))
                .as("its row was pruned: indexing must judge it again").containsExactly(reusedAfter);
        assertThat(indexing.unjudged("race-a", List.of(reusedAfter, reusedDuring))).containsExactly(reusedAfter);
    }

    @Test
    void aSweepJudgesWhatLacksACurrentVerdictButNotWhatAnotherInstanceJudgedAndSurvivesGuardrailsBeingDown() {
        PassageVerdicts mine = new PassageVerdicts(JDBC, JSON, Duration.ofHours(1)).load();
        PassageVerdicts theirs = new PassageVerdicts(JDBC, JSON, Duration.ofHours(1)).load();
        String probe = "Sweep: kettles boil water in two minutes.";
        String neverJudged = "Sweep: the kettle switches off when empty.";
        String judgedElsewhere = "Sweep: the base turns all the way round.";
        String oldPolicy = "Sweep: the filter can be rinsed under the tap.";
        INDEX.add(List.of(document("sweep-a", "sweep-a/f#0", probe), document("sweep-a", "sweep-a/f#1", neverJudged),
                document("sweep-a", "sweep-a/f#2", judgedElsewhere), document("sweep-a", "sweep-a/f#3", oldPolicy)));
        mine.save("sweep-a", List.of(probe, oldPolicy), List.of(verdict(Verdict.ALLOWED, "default:v1"),
                verdict(Verdict.ALLOWED, "default:v1")));
        theirs.save("sweep-a", List.of(judgedElsewhere), List.of(verdict(Verdict.ALLOWED, "default:v2")));
        StandInGuardrails guardrails = new StandInGuardrails("default:v2");
        PassageJudging judging = new PassageJudging(mine, guardrails, new PassageJudgingSettings(true,
                Duration.ofSeconds(1), 64, Duration.ZERO, Duration.ofHours(1), Duration.ZERO, Duration.ZERO));

        guardrails.down = true;
        assertThat(judging.judgeStillUnjudged(passage -> INDEX.forEachPassage(Provenance.TENANT, passage))).isZero();
        assertThat(guardrails.asked("sweep-a")).as("one probe, no retries").containsExactly(List.of(probe));

        guardrails.down = false;
        guardrails.asks.clear();
        int judged = judging.judgeStillUnjudged(passage -> INDEX.forEachPassage(Provenance.TENANT, passage));

        assertThat(guardrails.asked("sweep-a")).containsExactly(List.of(probe), List.of(neverJudged, oldPolicy));
        assertThat(judged).isEqualTo(2);
        for (String text : List.of(probe, neverJudged, judgedElsewhere, oldPolicy)) {
            assertThat(mine.attach(chunk(text), "sweep-a").verdict().policyFingerprint()).as(text).isEqualTo("default:v2");
        }
        guardrails.asks.clear();
        judging.judgeStillUnjudged(passage -> INDEX.forEachPassage(Provenance.TENANT, passage));
        assertThat(guardrails.asked("sweep-a")).as("nothing left but the probe").containsExactly(List.of(probe));
    }

    /** Guardrails' side of the ask: every text allowed under {@code fingerprint}, or no answer while down. */
    private static final class StandInGuardrails extends GuardrailsJudge {
        final List<JudgePassagesCommand> asks = new java.util.concurrent.CopyOnWriteArrayList<>();
        final String fingerprint;
        volatile boolean down;

        StandInGuardrails(String fingerprint) {
            super(null, Duration.ofSeconds(1));
            this.fingerprint = fingerprint;
        }

        @Override
        public Optional<List<PassageVerdict>> judge(String key, JudgePassagesCommand command, String token) {
            asks.add(command);
            return down ? Optional.empty() : Optional.of(command.texts().stream()
                    .map(text -> verdict(Verdict.ALLOWED, fingerprint)).toList());
        }

        List<List<String>> asked(String tenant) {
            return asks.stream().filter(ask -> ask.tenantId().equals(tenant)).map(JudgePassagesCommand::texts).toList();
        }
    }

    private static List<String> rows(String tenant) {
        return JDBC.sql("select text_sha256 from passage_verdicts where tenant_id = ?").param(tenant)
                .query(String.class).list();
    }

    private static PassageVerdict verdict(Verdict verdict) {
        return verdict(verdict, "default:0123456789abcdef");
    }

    private static PassageVerdict verdict(Verdict verdict, String fingerprint) {
        return new PassageVerdict(verdict, 0.1, List.of(), null, fingerprint, Instant.now());
    }

    private static List<PassageVerdict> verdicts(int count) {
        List<PassageVerdict> verdicts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            verdicts.add(verdict(Verdict.ALLOWED));
        }
        return verdicts;
    }

    private static RetrievedChunk chunk(String text) {
        return new RetrievedChunk("c#0", "c.md", null, 0, text.length(), text, 1.0, null, null, null, null, null);
    }

    private static Document document(String tenant, String id, String text) {
        return Document.builder().id(id).text(text).metadata(Map.of(Provenance.TENANT, tenant,
                Provenance.VECTOR_STORE_ID, "vs", Provenance.GROUPS, List.of(Provenance.EVERYONE))).build();
    }

    private static JdbcClient migratedDatabase() {
        var dataSource = new DriverManagerDataSource(TestPostgres.newDatabase(), "postgres", "postgres");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return JdbcClient.create(dataSource);
    }
}
