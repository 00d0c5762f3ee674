package dev.genaiplatform.retrieval.search;

import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.contracts.retrieval.TextEmbedding;
import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import dev.genaiplatform.retrieval.rerank.CrossFeatureReranker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One search embeds its query once (issue 13): the vector leg and the re-ranker share one vector, and a vector handed
 * on by an earlier step (guardrails) replaces even that one, but only when it is MiniLM's embedding of exactly this
 * query. The real model, counted.
 */
class QueryEmbeddedOnceTests {

    private static final MiniLmEmbeddingModel MINILM = new MiniLmEmbeddingModel();
    private static final SearchScope SCOPE = new SearchScope("once", List.of(), List.of("vs_once"));
    private static final String QUERY = "how are consumer offsets committed in Kafka";

    private final CountingModel counted = new CountingModel();
    private final LuceneHybridVectorStore index = new LuceneHybridVectorStore(counted, new HybridSearchSettings(50, 5, 60, 8));
    private final ChunkSearch search = new ChunkSearch(index, new SearchLimits(4, 20, 2000), new SimpleMeterRegistry(),
            new CrossFeatureReranker(CrossFeatureReranker.Weights.DEFAULT), counted, 20, null, null);

    QueryEmbeddedOnceTests() {
        index.add(List.of(
                ChunkIndexContract.chunk("once", "vs_once", "k/1#0", "Consumers commit offsets after processing a batch.", List.of()),
                ChunkIndexContract.chunk("once", "vs_once", "k/2#0", "Partitions keep records in order per key.", List.of()),
                ChunkIndexContract.chunk("once", "vs_once", "b/1#0", "Sourdough needs a starter, flour and water.", List.of()),
                ChunkIndexContract.chunk("once", "vs_once", "r/1#0", "Redis holds the token buckets of the rate limiter.", List.of())));
        counted.texts.clear();
    }

    @AfterEach
    void close() throws Exception {
        index.close();
    }

    @Test
    void aRerankedHybridSearchEmbedsItsQueryOnce() {
        ChunkSearch.Result result = search.search(SCOPE, QUERY, 2, null);

        assertThat(result.chunks()).extracting(RetrievedChunk::chunkId).first().isEqualTo("k/1#0");
        assertThat(counted.texts).containsExactly(QUERY);
    }

    @Test
    void aMatchingHandedOnEmbeddingIsUsedInsteadOfEmbeddingTheQuery() {
        var handedOn = new TextEmbedding(TextEmbedding.MINILM_L6_V2_Q, QUERY, MINILM.embed(QUERY));

        ChunkSearch.Result withVector = search(handedOn);

        assertThat(counted.texts).isEmpty();
        assertThat(chunkIds(withVector)).isEqualTo(chunkIds(search(null)));
    }

    @Test
    void aHandedOnEmbeddingOfAnotherTextOrModelIsIgnoredAndResultsAreUnchanged() {
        List<String> expected = chunkIds(search(null));
        float[] sourdough = MINILM.embed("sourdough starter flour water");
        assertThat(chunkIds(search(new TextEmbedding(TextEmbedding.MINILM_L6_V2_Q, QUERY, sourdough))))
                .as("a wrong vector that matched would change the ranking").isNotEqualTo(expected);
        List<TextEmbedding> foreign = List.of(
                new TextEmbedding(TextEmbedding.MINILM_L6_V2_Q, QUERY + " (before redaction)", sourdough),
                new TextEmbedding("text-embedding-3-small", QUERY, sourdough),
                new TextEmbedding(TextEmbedding.MINILM_L6_V2_Q, QUERY, new float[] {1, 0, 0}),
                new TextEmbedding(TextEmbedding.MINILM_L6_V2_Q, QUERY, null));

        for (TextEmbedding embedding : foreign) {
            counted.texts.clear();
            assertThat(chunkIds(search(embedding))).as(embedding.toString()).isEqualTo(expected);
            assertThat(counted.texts).as(embedding.toString()).containsExactly(QUERY);
        }
    }

    private ChunkSearch.Result search(TextEmbedding handedOn) {
        return search.search(SCOPE, QUERY, 4, null, 1, false, List.of(), false, handedOn);
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
        public float[] embed(org.springframework.ai.document.Document document) {
            return embed(getEmbeddingContent(document));
        }

        @Override
        public int dimensions() {
            return MINILM.dimensions();
        }
    }
}
