package dev.genaiplatform.retrieval.search;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.ai.vectorstore.SearchRequest;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkSearchTests {

    private final RecordingVectorStore store = new RecordingVectorStore();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ChunkSearch search = new ChunkSearch(store, new SearchLimits(4, 20, 10), meters);

    @Test
    void turnsFoundDocumentsIntoChunksWithProvenanceBestFirst() {
        ChunkSearch.Result result = search.search("kafka", 2);

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
        assertThat(search.search("  \n", 4).chunks()).isEmpty();
        assertThat(search.search(null, 4).chunks()).isEmpty();
        assertThat(store.requests()).isEmpty();
    }

    @Test
    void clampsTopKToTheDefaultWhenMissingAndToTheMaximumWhenHuge() {
        assertThat(search.search("q", 0).topK()).isEqualTo(4);
        assertThat(search.search("q", -3).topK()).isEqualTo(4);
        assertThat(search.search("q", Integer.MAX_VALUE).topK()).isEqualTo(20);
        assertThat(store.requests()).extracting(SearchRequest::getTopK).containsExactly(4, 4, 20);
    }

    @Test
    void cutsAnOverlongQuery() {
        search.search("0123456789abcdef", 1);

        assertThat(store.requests()).singleElement().extracting(SearchRequest::getQuery).isEqualTo("0123456789");
    }
}
