package dev.genaiplatform.retrieval.search;

import dev.genaiplatform.retrieval.citation.Provenance;
import dev.genaiplatform.retrieval.rerank.Reranker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.filter.Filter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecencyBoostTests {

    private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final RecencyBoost BOOST = new RecencyBoost(Duration.ofDays(30), CLOCK);

    private static Document indexed(String id, double score, Duration ago) {
        return Document.builder().id(id).text(id).score(score).metadata(Map.of(Provenance.DOCUMENT_PATH, id + ".md",
                Provenance.START_OFFSET, 0, Provenance.END_OFFSET, id.length(), Provenance.AS_OF, NOW.minus(ago).toEpochMilli())).build();
    }

    @Test
    void aFreshVersionKeepsItsScoreAHalfLifeOldKeepsThreeQuartersAndNothingFallsBelowHalf() {
        assertThat(BOOST.factor(indexed("a", 1, Duration.ZERO), NOW.toEpochMilli())).isEqualTo(1.0);
        assertThat(BOOST.factor(indexed("a", 1, Duration.ofDays(30)), NOW.toEpochMilli())).isCloseTo(0.75, Offset.offset(1e-9));
        assertThat(BOOST.factor(indexed("a", 1, Duration.ofDays(3000)), NOW.toEpochMilli())).isGreaterThanOrEqualTo(0.5).isLessThan(0.51);
        assertThat(BOOST.factor(Document.builder().id("x").text("x").build(), NOW.toEpochMilli())).isEqualTo(1.0);
        assertThatThrownBy(() -> new RecencyBoost(Duration.ZERO, CLOCK)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reordersPassagesOfSimilarRelevanceButNeverBuriesAClearlyBetterOne() {
        List<Document> boosted = BOOST.apply(List.of(indexed("old-but-best", 0.090, Duration.ofDays(3650)),
                indexed("stale", 0.030, Duration.ofDays(365)), indexed("fresh", 0.028, Duration.ofDays(1))), 3);

        assertThat(boosted).extracting(Document::getId).containsExactly("old-but-best", "fresh", "stale");
    }

    @Test
    void chunkSearchOverFetchesSoAFresherPassageBelowTheCutCanRiseIntoIt() {
        List<Document> fromStore = List.of(indexed("stale", 0.030, Duration.ofDays(365)), indexed("fresh", 0.028, Duration.ofDays(1)));
        List<SearchRequest> asked = new ArrayList<>();
        VectorStore store = new VectorStore() {
            @Override
            public List<Document> similaritySearch(SearchRequest request) {
                asked.add(request);
                return fromStore.subList(0, Math.min(fromStore.size(), request.getTopK()));
            }

            @Override
            public void add(List<Document> documents) {
            }

            @Override
            public void delete(List<String> ids) {
            }

            @Override
            public void delete(Filter.Expression filter) {
            }
        };
        var search = new ChunkSearch(store, new SearchLimits(4, 20, 100), new SimpleMeterRegistry(), Reranker.NONE, null, 20,
                null, BOOST);

        var result = search.search(new SearchScope("acme", List.of(), List.of("vs_1")), "q", 1, null);

        assertThat(asked.getFirst().getTopK()).isEqualTo(20);
        assertThat(result.chunks()).extracting(c -> c.documentPath()).containsExactly("fresh.md");
    }
}
