package dev.genaiplatform.retrieval.rerank;

import com.sun.net.httpserver.HttpServer;
import dev.genaiplatform.retrieval.search.LuceneHybridVectorStore;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.web.client.RestClient;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class RerankersTests {

    @Test
    void mmrLetsANearCopyOfAPickedPassageGiveWayToADifferentOne() {
        List<Document> candidates = List.of(doc("a", "alpha", 1, 0), doc("a-copy", "alpha again", 0.99f, 0.14f),
                doc("b", "beta", 0, 1), doc("c", "gamma", -1, 0.2f));

        assertThat(new MaximalMarginalRelevance(0.7, Reranker.NONE).rerank("q", null, candidates, 2))
                .extracting(Document::getId).containsExactly("a", "b");
        assertThat(new MaximalMarginalRelevance(1.0, Reranker.NONE).rerank("q", null, candidates, 2))
                .extracting(Document::getId).containsExactly("a", "a-copy");
    }

    @Test
    void theCrossFeatureScorerPrefersThePassageThatAnswersTheWholeQuestion() {
        List<Document> candidates = List.of(
                doc("one-term", "Kafka Kafka Kafka is a log.", 0.6f, 0.8f),
                doc("all-terms", "A dead letter topic in Kafka parks records that failed.", 0.6f, 0.8f));

        List<Document> ranked = new CrossFeatureReranker(CrossFeatureReranker.Weights.DEFAULT)
                .rerank("what is a kafka dead letter topic", new float[] {0.6f, 0.8f}, candidates, 2);

        assertThat(ranked).extracting(Document::getId).containsExactly("all-terms", "one-term");
        assertThat(ranked.getFirst().getScore()).isGreaterThan(ranked.getLast().getScore());
    }

    @Test
    void theHostedRerankerOrdersByTheApisScoresAndKeepsTheFirstStageOrderWhenTheApiFails() throws Exception {
        AtomicReference<String> request = new AtomicReference<>();
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/rerank", exchange -> {
            request.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "{\"results\":[{\"index\":2,\"relevance_score\":0.9},{\"index\":0,\"relevance_score\":0.4}]}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        api.start();
        List<Document> candidates = List.of(doc("x", "x", 1, 0), doc("y", "y", 1, 0), doc("z", "z", 1, 0));
        try {
            var reranker = new HostedReranker(RestClient.create("http://127.0.0.1:" + api.getAddress().getPort()), "rerank-test");
            assertThat(reranker.rerank("question", null, candidates, 2)).extracting(Document::getId).containsExactly("z", "x");
            assertThat(request.get()).contains("\"model\":\"rerank-test\"", "\"query\":\"question\"", "\"top_n\":2");
        } finally {
            api.stop(0);
        }
        var down = new HostedReranker(RestClient.create("http://127.0.0.1:" + api.getAddress().getPort()), "rerank-test");
        assertThat(down.rerank("question", null, candidates, 2)).extracting(Document::getId).containsExactly("x", "y");
    }

    private static Document doc(String id, String text, float x, float y) {
        double norm = Math.sqrt(x * x + y * y);
        Map<String, Object> metadata = new HashMap<>();
        metadata.put(LuceneHybridVectorStore.EMBEDDING, new float[] {(float) (x / norm), (float) (y / norm)});
        metadata.put("lexicalRank", 1);
        metadata.put("vectorRank", 1);
        return Document.builder().id(id).text(text).metadata(metadata).build();
    }
}
