package dev.genaiplatform.retrieval.search;

import dev.genaiplatform.retrieval.citation.Provenance;
import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import dev.genaiplatform.retrieval.search.ChunkIndex.Legs;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link ChunkIndex} must do, run against each store (Lucene in memory, pgvector in a real PostgreSQL):
 * tenant isolation and group ACLs inside both legs, user filters that can only narrow, deletion by filter and by id,
 * the atomic replace, and a hybrid search whose legs each find what the other cannot. Each test writes under its
 * own tenant names, so one index can serve the whole class.
 */
abstract class ChunkIndexContract {

    static final EmbeddingModel MODEL = new MiniLmEmbeddingModel();
    private static final FilterExpressionBuilder WHERE = new FilterExpressionBuilder();

    /** The index under test (the same instance for every test of the class). */
    abstract ChunkIndex index();

    @Test
    void aTenantNeverFindsAnotherTenantsChunkEvenWithItsExactText() {
        String secret = "Project Bluebird budget is 4.2 million euros, approved by the board in March.";
        index().add(List.of(chunk("iso-a", "vs_a", "a/1#0", secret, List.of()),
                chunk("iso-b", "vs_b", "b/1#0", "Our cafeteria serves soup on Mondays.", List.of())));

        for (Legs legs : Legs.values()) {
            assertThat(search(new SearchScope("iso-b", List.of(), List.of("vs_b", "vs_a")), secret, 5, null, legs))
                    .as(legs.name()).extracting(Document::getId).doesNotContain("a/1#0");
        }
        assertThat(search(new SearchScope("iso-b", List.of(), List.of("vs_b", "vs_a")), secret, 5, null, Legs.HYBRID))
                .extracting(Document::getId).containsExactly("b/1#0");
        assertThat(search(new SearchScope("iso-a", List.of(), List.of("vs_a")), secret, 5, null, Legs.HYBRID))
                .extracting(Document::getId).first().isEqualTo("a/1#0");
        assertThat(index().find("a/1#0", new SearchScope("iso-b", List.of(), List.of("vs_a")).filter(null))).isEmpty();
        assertThat(index().find("a/1#0", new SearchScope("iso-a", List.of(), List.of("vs_a")).filter(null))).isPresent();
    }

    @Test
    void aGroupRestrictedChunkIsFoundOnlyByCallersInOneOfItsGroups() {
        index().add(List.of(chunk("acl", "vs_acl", "acl/hr#0", "Salary bands for engineers are reviewed every April.", List.of("hr")),
                chunk("acl", "vs_acl", "acl/all#0", "The office opens at eight in the morning.", List.of())));
        String query = "salary bands engineers April";

        assertThat(search(new SearchScope("acl", List.of(), List.of("vs_acl")), query, 5, null, Legs.HYBRID))
                .extracting(Document::getId).containsExactly("acl/all#0");
        assertThat(search(new SearchScope("acl", List.of("sales"), List.of("vs_acl")), query, 5, null, Legs.HYBRID))
                .extracting(Document::getId).containsExactly("acl/all#0");
        assertThat(search(new SearchScope("acl", List.of("sales", "hr"), List.of("vs_acl")), query, 5, null, Legs.HYBRID))
                .extracting(Document::getId).first().isEqualTo("acl/hr#0");
    }

    @Test
    void aUserFilterNarrowsButAnOrNamingTheTenantCannotWiden() {
        index().add(List.of(chunk("flt-a", "vs_fa", "fa/1#0", "Invoices are archived for ten years.", List.of(), "region", "emea"),
                chunk("flt-a", "vs_fa", "fa/2#0", "Invoices are archived for seven years.", List.of(), "region", "apac"),
                chunk("flt-b", "vs_fb", "fb/1#0", "Invoices are archived forever.", List.of(), "region", "emea")));
        SearchScope scope = new SearchScope("flt-a", List.of(), List.of("vs_fa"));

        assertThat(search(scope, "invoices archived years", 5, WHERE.eq("attr.region", "emea").build(), Legs.HYBRID))
                .extracting(Document::getId).containsExactly("fa/1#0");
        Filter.Expression widening = WHERE.or(WHERE.eq(Provenance.TENANT, "flt-b"), WHERE.eq("attr.region", "emea")).build();
        assertThat(search(scope, "invoices archived", 5, widening, Legs.HYBRID)).extracting(Document::getId)
                .containsExactly("fa/1#0");
        assertThat(search(scope, "invoices archived", 5, WHERE.nin("attr.region", "emea").build(), Legs.HYBRID))
                .extracting(Document::getId).containsExactly("fa/2#0");
    }

    @Test
    void deletedChunksAreGoneFromBothLegsCountsAndLookups() {
        index().add(List.of(chunk("del", "vs_del", "del/1#0", "Retention of audit logs is 400 days.", List.of()),
                chunk("del", "vs_del", "del/1#1", "Audit logs are signed hourly.", List.of()),
                chunk("del", "vs_del", "del/2#0", "Backups run nightly at two.", List.of())));
        SearchScope scope = new SearchScope("del", List.of(), List.of("vs_del"));

        index().delete(WHERE.and(WHERE.eq(Provenance.TENANT, "del"), WHERE.eq(Provenance.FILE_ID, "del/1")).build());
        index().delete(List.of("del/2#0"));

        for (Legs legs : Legs.values()) {
            assertThat(search(scope, "audit logs retention backups", 5, null, legs)).as(legs.name()).isEmpty();
        }
        assertThat(index().count(scope.filter(null))).isZero();
        assertThat(index().find("del/1#0", scope.filter(null))).isEmpty();
    }

    @Test
    void replacingADocumentSwapsItsChunksInOneWrite() {
        SearchScope scope = new SearchScope("swap", List.of(), List.of("vs_swap"));
        Filter.Expression theFile = WHERE.and(WHERE.eq(Provenance.TENANT, "swap"), WHERE.eq(Provenance.FILE_ID, "swap/1")).build();
        index().add(List.of(chunk("swap", "vs_swap", "swap/1#0", "Version one says the limit is ten requests.", List.of()),
                chunk("swap", "vs_swap", "swap/1#1", "Version one also mentions quotas.", List.of())));

        index().replace(theFile, index().prepare(List.of(
                chunk("swap", "vs_swap", "swap/1#0", "Version two says the limit is twenty requests.", List.of())), done -> { }));

        assertThat(index().count(scope.filter(null))).isEqualTo(1);
        assertThat(search(scope, "version limit requests quotas", 5, null, Legs.HYBRID)).singleElement()
                .satisfies(document -> assertThat(document.getText()).contains("twenty"));
    }

    @Test
    void eachLegFindsWhatTheOtherCannotAndResultsCarryMetadataAndVectors() {
        index().add(List.of(
                chunk("legs", "vs_legs", "legs/1#0", "Error E4711 means the upstream certificate expired.", List.of()),
                chunk("legs", "vs_legs", "legs/2#0", "A feline rested on the rug all afternoon.", List.of()),
                chunk("legs", "vs_legs", "legs/3#0", "Quarterly revenue grew in the northern region.", List.of())));
        SearchScope scope = new SearchScope("legs", List.of(), List.of("vs_legs"));

        Document exact = search(scope, "E4711", 1, null, Legs.LEXICAL_ONLY).getFirst();
        Document paraphrase = search(scope, "a cat sleeping on a carpet", 1, null, Legs.VECTOR_ONLY).getFirst();
        List<Document> hybrid = search(scope, "E4711 certificate", 3, null, Legs.HYBRID);

        assertThat(exact.getId()).isEqualTo("legs/1#0");
        assertThat(paraphrase.getId()).isEqualTo("legs/2#0");
        assertThat(search(scope, "a cat sleeping on a carpet", 3, null, Legs.LEXICAL_ONLY)).extracting(Document::getId)
                .doesNotContain("legs/2#0");
        assertThat(hybrid.getFirst().getId()).isEqualTo("legs/1#0");
        assertThat(hybrid.getFirst().getMetadata()).containsEntry(ChunkIndex.LEXICAL_RANK, 1).containsEntry(ChunkIndex.VECTOR_RANK, 1)
                .containsEntry(Provenance.DOCUMENT_PATH, "legs/1.md").containsEntry(Provenance.START_OFFSET, 0)
                .containsKey(ChunkIndex.EMBEDDING);
        assertThat((float[]) hybrid.getFirst().getMetadata().get(ChunkIndex.EMBEDDING)).hasSize(MODEL.dimensions());
        assertThat(hybrid.getFirst().getScore()).isPositive();
    }

    @Test
    void aSelectiveAccessFilterStillYieldsKNearestNeighbours() {
        List<Document> crowd = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            crowd.add(chunk("crowd", "vs_crowd", "crowd/" + i + "#0", "Note " + i + " about deployment pipelines and release trains.", List.of()));
        }
        for (int i = 0; i < 6; i++) {
            crowd.add(chunk("few", "vs_few", "few/" + i + "#0", "Recipe " + i + " for lemon cake with poppy seeds.", List.of()));
        }
        index().add(crowd);

        List<Document> found = search(new SearchScope("few", List.of(), List.of("vs_few")), "deployment pipelines release", 5,
                null, Legs.VECTOR_ONLY);

        assertThat(found).hasSize(5).allSatisfy(document -> assertThat(document.getId()).startsWith("few/"));
    }

    @Test
    void aPassOverTheIndexSeesEveryLiveChunksTenantAndTextAndNoDeletedOne() {
        index().add(List.of(chunk("pass-a", "vs_pa", "pa/1#0", "Kettles are descaled monthly.", List.of()),
                chunk("pass-a", "vs_pa", "pa/2#0", "Toasters are cleaned weekly.", List.of()),
                chunk("pass-b", "vs_pb", "pb/1#0", "Kettles are descaled monthly.", List.of())));
        index().delete(List.of("pa/2#0"));

        List<String> seen = new ArrayList<>();
        index().forEachPassage(Provenance.TENANT, (tenant, text) -> {
            if (tenant != null && tenant.startsWith("pass-")) {
                seen.add(tenant + "|" + text);
            }
        });

        assertThat(seen).containsExactlyInAnyOrder("pass-a|Kettles are descaled monthly.",
                "pass-b|Kettles are descaled monthly.");
    }

    List<Document> search(SearchScope scope, String query, int topK, Filter.Expression userFilter, Legs legs) {
        return index().similaritySearch(SearchRequest.builder().query(query).topK(topK).filterExpression(scope.filter(userFilter)).build(), legs);
    }

    static Document chunk(String tenant, String store, String id, String text, List<String> groups, String... attributes) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(Provenance.TENANT, tenant);
        metadata.put(Provenance.VECTOR_STORE_ID, store);
        metadata.put(Provenance.GROUPS, groups.isEmpty() ? List.of(Provenance.EVERYONE) : groups);
        metadata.put(Provenance.FILE_ID, id.substring(0, id.indexOf('#')));
        metadata.put(Provenance.DOCUMENT_PATH, id.substring(0, id.indexOf('#')) + ".md");
        metadata.put(Provenance.START_OFFSET, 0);
        metadata.put(Provenance.END_OFFSET, text.length());
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            metadata.put(Provenance.ATTRIBUTE_PREFIX + attributes[i], attributes[i + 1]);
        }
        return Document.builder().id(id).text(text).metadata(metadata).build();
    }

}
