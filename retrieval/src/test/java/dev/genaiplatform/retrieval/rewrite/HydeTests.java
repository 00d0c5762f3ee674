package dev.genaiplatform.retrieval.rewrite;

import com.sun.net.httpserver.HttpServer;
import dev.genaiplatform.retrieval.citation.Provenance;
import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import dev.genaiplatform.retrieval.rerank.Reranker;
import dev.genaiplatform.retrieval.search.ChunkSearch;
import dev.genaiplatform.retrieval.search.HybridSearchSettings;
import dev.genaiplatform.retrieval.search.LuceneHybridVectorStore;
import dev.genaiplatform.retrieval.search.SearchLimits;
import dev.genaiplatform.retrieval.search.SearchScope;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HyDE: a hypothetical answer's embedding is searched beside the question and fused with it (a real Lucene index and
 * MiniLM; the passage writer is a lambda or a stand-in OpenAI server on loopback).
 */
class HydeTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SearchScope SCOPE = new SearchScope("t", List.of(), List.of("vs"));
    private static LuceneHybridVectorStore index;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicReference<JsonNode> received = new AtomicReference<>();
    private HttpServer server;

    @BeforeAll
    static void indexThreePassages() {
        index = new LuceneHybridVectorStore(new MiniLmEmbeddingModel(), new HybridSearchSettings(50, 5, 60, 16));
        index.add(List.of(
                passage("a#0", "Tomato seedlings are hardened off outdoors for a week before planting."),
                passage("b#0", "The invoice run closes on the third working day of each month."),
                passage("c#0", "Grey mould on greenhouse leaves is prevented by venting condensation at night."),
                passage("d#0", "Fuzzy grey felt covers for plant pots are sold in packs of ten."),
                passage("e#0", "Plant labels turn grey and fuzzy after a winter outdoors.")));
    }

    @AfterAll
    static void close() throws Exception {
        index.close();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void theHypotheticalAnswerIsSearchedFusedAndListedAfterTheQuery() {
        AtomicInteger calls = new AtomicInteger();
        ChunkSearch search = search(question -> {
            calls.incrementAndGet();
            return Optional.of("Condensation dripping from the greenhouse roof at night causes grey mould on the leaves; open the vents.");
        });

        ChunkSearch.Result with = search.search(SCOPE, "why are my plants fuzzy and grey?", 4, null, 1, false, List.of(), true);
        ChunkSearch.Result without = search.search(SCOPE, "why are my plants fuzzy and grey?", 4, null, 1, false, List.of(), false);

        assertThat(calls.get()).as("one model call, only when asked").isEqualTo(1);
        assertThat(rank(with, "c#0")).as("the passage's nearest neighbour rises").isLessThan(rank(without, "c#0"));
        assertThat(with.queries()).hasSize(2).first().isEqualTo("why are my plants fuzzy and grey?");
        assertThat(with.queries().getLast()).startsWith("Condensation dripping");
        assertThat(with.rewrittenBy()).isEqualTo("hyde");
        assertThat(without.queries()).containsExactly("why are my plants fuzzy and grey?");
        assertThat(without.rewrittenBy()).isNull();
    }

    @Test
    void withoutAPassageTheSearchIsTheSameAsWithoutHyde() {
        ChunkSearch search = search(question -> Optional.empty());

        ChunkSearch.Result with = search.search(SCOPE, "invoice run closing day", 3, null, 1, false, List.of(), true);
        ChunkSearch.Result without = search.search(SCOPE, "invoice run closing day", 3, null, 1, false, List.of(), false);

        assertThat(with.chunks()).isEqualTo(without.chunks());
        assertThat(with.rewrittenBy()).isNull();
    }

    @Test
    void aRewrittenFollowUpIsWhatTheModelAnswersAndBothAreNamedInTheTrace() {
        AtomicReference<String> asked = new AtomicReference<>();
        ChunkSearch search = new ChunkSearch(index, new SearchLimits(4, 20, 2000), meters, Reranker.NONE, null, 20,
                new RuleBasedQueryRewriter(1), null, question -> {
                    asked.set(question);
                    return Optional.of("Seedlings are hardened off for a week.");
                });

        ChunkSearch.Result result = search.search(SCOPE, "and how long for that?", 2, null, 1, true,
                List.of(new dev.genaiplatform.contracts.retrieval.ConversationTurn("user", "How are tomato seedlings hardened off?")), true);

        assertThat(asked.get()).contains("tomato").contains("seedlings");
        assertThat(result.rewrittenBy()).isEqualTo("rules+hyde");
        assertThat(result.chunks().getFirst().chunkId()).isEqualTo("a#0");
    }

    @Test
    void theModelWriterSendsTheInstructionsAndQuestionAndReadsThePassage() throws IOException {
        HypotheticalAnswers writer = serving(200, "  Grey mould comes from condensation.  ");

        assertThat(writer.write("why grey leaves?")).contains("Grey mould comes from condensation.");
        JsonNode request = received.get();
        assertThat(request.path("model").asString()).isEqualTo("sim-small");
        assertThat(request.path("messages").path(0).path("role").asString()).isEqualTo("system");
        assertThat(request.path("messages").path(0).path("content").asString()).contains("passage");
        assertThat(request.path("messages").path(1).path("content").asString()).isEqualTo("why grey leaves?");
        assertThat(meters.counter("retrieval.hyde", "outcome", "written").count()).isEqualTo(1);
    }

    @Test
    void aFailingSilentOrAbsentModelYieldsNoPassageAndIsCounted() throws IOException {
        assertThat(serving(503, "busy").write("q")).isEmpty();
        stop();
        assertThat(serving(200, "   ").write("q")).isEmpty();
        stop();
        assertThat(writer("http://127.0.0.1:1/v1").write("q")).isEmpty();
        assertThat(meters.counter("retrieval.hyde", "outcome", "failed").count()).isEqualTo(3);
    }

    private static int rank(ChunkSearch.Result result, String chunkId) {
        List<String> ids = result.chunks().stream().map(chunk -> chunk.chunkId()).toList();
        return ids.contains(chunkId) ? ids.indexOf(chunkId) : Integer.MAX_VALUE;
    }

    private ChunkSearch search(HypotheticalAnswers writer) {
        return new ChunkSearch(index, new SearchLimits(4, 20, 2000), meters, Reranker.NONE, null, 20, null, null, writer);
    }

    private HypotheticalAnswers serving(int status, String content) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            received.set(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            byte[] body = JSON.writeValueAsString(JSON.createObjectNode().set("choices", JSON.createArrayNode().add(
                    JSON.createObjectNode().set("message", JSON.createObjectNode().put("role", "assistant").put("content", content)))))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return writer("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    private HypotheticalAnswers writer(String baseUrl) {
        var requests = new JdkClientHttpRequestFactory();
        requests.setReadTimeout(Duration.ofSeconds(2));
        return new ModelHypotheticalAnswers(RestClient.builder().baseUrl(baseUrl).requestFactory(requests).build(), "sim-small", 1200, meters);
    }

    private static Document passage(String id, String text) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(Provenance.TENANT, "t");
        metadata.put(Provenance.VECTOR_STORE_ID, "vs");
        metadata.put(Provenance.GROUPS, List.of(Provenance.EVERYONE));
        metadata.put(Provenance.DOCUMENT_PATH, id.substring(0, 1) + ".md");
        metadata.put(Provenance.START_OFFSET, 0);
        metadata.put(Provenance.END_OFFSET, text.length());
        return Document.builder().id(id).text(text).metadata(metadata).build();
    }
}
