package dev.genaiplatform.retrieval.search;

import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.document.Document;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A query a tenant searched recently is not embedded again (issue 8 item 14, wave 6), and the cached vector gives the
 * same ranking as a fresh one; another tenant's identical question is embedded for that tenant (no timing signal
 * across tenants); the least recently used entry goes first. The real model, counted.
 */
class QueryVectorCacheTests {

    private static final MiniLmEmbeddingModel MINILM = new MiniLmEmbeddingModel();
    private static final String QUERY = "how are consumer offsets committed in Kafka";

    private final CountingModel counted = new CountingModel();
    private final LuceneHybridVectorStore index = new LuceneHybridVectorStore(counted, new HybridSearchSettings(50, 5, 60, 8));
    private final QueryVectorCache cache = new QueryVectorCache(2);
    private final ChunkSearch search = new ChunkSearch(index, new SearchLimits(4, 20, 2000), new SimpleMeterRegistry(),
            dev.genaiplatform.retrieval.rerank.Reranker.NONE, counted, 20, null, null, null, cache);

    QueryVectorCacheTests() {
        for (String tenant : List.of("a", "b")) {
            index.add(List.of(
                    ChunkIndexContract.chunk(tenant, "vs_" + tenant, tenant + "/1#0", "Consumers commit offsets after processing a batch.", List.of()),
                    ChunkIndexContract.chunk(tenant, "vs_" + tenant, tenant + "/2#0", "Partitions keep records in order per key.", List.of()),
                    ChunkIndexContract.chunk(tenant, "vs_" + tenant, tenant + "/3#0", "Sourdough needs a starter, flour and water.", List.of())));
        }
        counted.texts.clear();
    }

    @AfterEach
    void close() throws Exception {
        index.close();
    }

    @Test
    void aRepeatedQueryOfOneTenantIsEmbeddedOnceAndRanksTheSame() {
        List<String> first = chunkIds(search.search(scope("a"), QUERY, 3, null));
        List<String> again = chunkIds(search.search(scope("a"), QUERY, 3, null));

        assertThat(counted.texts).containsExactly(QUERY);
        assertThat(again).isEqualTo(first).first().isEqualTo("a/1#0");
    }

    @Test
    void anotherTenantsIdenticalQueryIsEmbeddedForThatTenant() {
        search.search(scope("a"), QUERY, 3, null);
        search.search(scope("b"), QUERY, 3, null);

        assertThat(counted.texts).containsExactly(QUERY, QUERY);
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void theLeastRecentlyUsedQueryIsDroppedFirst() {
        search.search(scope("a"), "first question about offsets", 3, null);
        search.search(scope("a"), "second question about partitions", 3, null);
        search.search(scope("a"), "first question about offsets", 3, null);   // used again: now the most recent
        search.search(scope("a"), "third question about sourdough", 3, null); // drops the second
        counted.texts.clear();

        search.search(scope("a"), "first question about offsets", 3, null);
        search.search(scope("a"), "second question about partitions", 3, null);

        assertThat(counted.texts).containsExactly("second question about partitions");
    }

    @Test
    void capacityZeroKeepsNothingAndANegativeOneIsRefused() {
        QueryVectorCache none = new QueryVectorCache(0);
        none.vector("a", QUERY, () -> new float[] {1});
        assertThat(none.size()).isZero();
        assertThat(none.cached("a", QUERY)).isNull();
        assertThatThrownBy(() -> new QueryVectorCache(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static SearchScope scope(String tenant) {
        return new SearchScope(tenant, List.of(), List.of("vs_" + tenant));
    }

    private static List<String> chunkIds(ChunkSearch.Result result) {
        return result.chunks().stream().map(RetrievedChunk::chunkId).toList();
    }

    /** The real model, recording every text it is asked to embed. */
    private static final class CountingModel implements EmbeddingModel {
        final List<String> texts = new ArrayList<>();

        @Override
        public EmbeddingResponse call(EmbeddingRequest request) {
            texts.addAll(request.getInstructions());
            return MINILM.call(request);
        }

        @Override
        public float[] embed(Document document) {
            return embed(getEmbeddingContent(document));
        }

        @Override
        public int dimensions() {
            return MINILM.dimensions();
        }
    }
}
