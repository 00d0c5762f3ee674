package dev.genaiplatform.retrieval.search;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.ai.vectorstore.SearchRequest;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkSearchTests {

    private static final SearchScope SCOPE = new SearchScope("acme", List.of("finance"), List.of("vs_1"));

    private final RecordingVectorStore store = new RecordingVectorStore();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ChunkSearch search = new ChunkSearch(store, new SearchLimits(4, 20, 10), meters);

    @Test
    void turnsFoundDocumentsIntoChunksWithProvenanceBestFirst() {
        ChunkSearch.Result result = search.search(SCOPE, "kafka", 2, null);

        assertThat(result.chunks()).hasSize(2).first().satisfies(chunk -> {
            assertThat(chunk.chunkId()).isEqualTo("a.md#0");
            assertThat(chunk.documentPath()).isEqualTo("a.md");
            assertThat(chunk.heading()).isEqualTo("A > B");
            assertThat(chunk.startOffset()).isEqualTo(3);
            assertThat(chunk.endOffset()).isEqualTo(8);
            assertThat(chunk.text()).isEqualTo("hello");
            assertThat(chunk.score()).isEqualTo(0.5);
        });
        assertThat(meters.get("retrieval.search").tag("outcome", "hits").timer().count()).isEqualTo(1);
    }

    @Test
    void answersABlankOrMissingQueryWithNothingWithoutAskingTheStore() {
        assertThat(search.search(SCOPE, "  \n", 4, null).chunks()).isEmpty();
        assertThat(search.search(SCOPE, null, 4, null).chunks()).isEmpty();
        assertThat(store.requests()).isEmpty();
    }

    @Test
    void clampsTopKToTheDefaultWhenMissingAndToTheMaximumWhenHuge() {
        assertThat(search.search(SCOPE, "q", 0, null).topK()).isEqualTo(4);
        assertThat(search.search(SCOPE, "q", -3, null).topK()).isEqualTo(4);
        assertThat(search.search(SCOPE, "q", Integer.MAX_VALUE, null).topK()).isEqualTo(20);
        assertThat(store.requests()).extracting(SearchRequest::getTopK).containsExactly(4, 4, 20);
    }

    @Test
    void alwaysAsksTheStoreWithTheCallersAccessFilterAndNarrowsItWithTheUsersFilter() {
        var userFilter = AttributeFilters.parse(java.util.Map.of("type", "eq", "key", "region", "value", "emea"));

        search.search(SCOPE, "q", 1, userFilter);

        String filter = String.valueOf(store.requests().getFirst().getFilterExpression());
        assertThat(filter).contains("tenant", "acme", "_public", "vectorStoreId", "vs_1", "groups", "finance", "*",
                "attr.region", "emea");
        assertThat(store.requests().getFirst().getFilterExpression().type())
                .isEqualTo(org.springframework.ai.vectorstore.filter.Filter.ExpressionType.AND);
    }

    @Test
    void cutsAnOverlongQuery() {
        search.search(SCOPE, "0123456789abcdef", 1, null);

        assertThat(store.requests()).singleElement().extracting(SearchRequest::getQuery).isEqualTo("0123456789");
    }
}
