package dev.genaiplatform.retrieval.api;

import dev.genaiplatform.retrieval.support.DocumentsClient;
import dev.genaiplatform.retrieval.support.RetrievalIntegrationTest;
import dev.genaiplatform.retrieval.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.genaiplatform.retrieval.api.DocumentsSecurityIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Query rewriting over HTTP: per request (with a conversation), per store (metadata), and OpenAI's rewrite_query. */
class QueryRewritingIT extends RetrievalIntegrationTest {

    private static final List<Map<String, String>> CONVERSATION = List.of(
            Map.of("role", "user", "content", "How do I keep ferns watered while travelling?"),
            Map.of("role", "assistant", "content", "Soak the soil and run a cotton wick from a reservoir."));

    @LocalServerPort
    private int port;

    @Test
    void aFollowUpPostedWithItsConversationIsRewrittenAndTheAnswerShowsTheQueries() {
        DocumentsClient client = new DocumentsClient(port, TestTokens.token("t-rw"));

        JsonNode rewritten = client.post("/api/retrieval/search",
                Map.of("query", "And what light do they need?", "k", 2, "rewrite", true, "conversation", CONVERSATION)).body();
        JsonNode asSent = client.post("/api/retrieval/search",
                Map.of("query", "And what light do they need?", "k", 2, "conversation", CONVERSATION)).body();

        assertThat(rewritten.path("rewrittenBy").asString()).isEqualTo("rules");
        assertThat(rewritten.path("queries").path(0).asString()).contains("ferns");
        assertThat(rewritten.path("chunks").path(0).path("documentPath").asString()).isEqualTo("plant-care.md");
        assertThat(asSent.path("rewrittenBy").isNull()).as("off by default").isTrue();
        assertThat(asSent.path("queries").valueStream().map(JsonNode::asString)).containsExactly("And what light do they need?");
    }

    @Test
    void aStoreCanTurnRewritingOnAndOpenAisRewriteQueryTurnsItOnPerRequest() {
        DocumentsClient client = new DocumentsClient(port, TestTokens.token("t-rw-store"));
        String question = "How does the greenhouse vent at night, and when are tomatoes watered?";
        String plain = client.createStore("plain");
        String rewriting = client.post("/v1/vector_stores", Map.of("name", "rewriting", "metadata", Map.of("rewrite_query", "true")))
                .body().path("id").asString();
        String file = client.upload("greenhouse.md", ("# Greenhouse\n\n## Night ventilation\n\nOpen the roof vents by a hand's width."
                + "\n\n## Watering\n\nWater tomatoes at the root before nine.").getBytes(StandardCharsets.UTF_8), null).body().path("id").asString();
        client.ingest(plain, file, Map.of());
        client.ingest(rewriting, file, Map.of());

        assertThat(client.get("/api/retrieval/search?k=2&store=" + rewriting + "&q=" + question.replace(" ", "%20"))
                .body().path("queries").size()).as("the store's default").isGreaterThan(1);
        assertThat(client.get("/api/retrieval/search?k=2&store=" + plain + "&q=" + question.replace(" ", "%20"))
                .body().path("queries").size()).isEqualTo(1);
        JsonNode page = client.post("/v1/vector_stores/" + plain + "/search", Map.of("query", question, "rewrite_query", true)).body();
        assertThat(page.path("search_query").valueStream().map(JsonNode::asString))
                .contains(question, "How does the greenhouse vent at night", "when are tomatoes watered?");
        assertThat(client.post("/v1/vector_stores/" + rewriting + "/search", Map.of("query", question, "rewrite_query", false))
                .body().path("search_query").size()).as("the request overrides the store").isEqualTo(1);
    }

    @Test
    void refusesABlankQueryOrAnEndlessConversation() {
        DocumentsClient client = new DocumentsClient(port, TestTokens.token("t-rw-bad"));
        List<Map<String, String>> endless = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            endless.add(Map.of("role", "user", "content", "turn " + i));
        }

        assertProblem(client.post("/api/retrieval/search", Map.of("query", " ")), 400, "invalid_value");
        assertProblem(client.post("/api/retrieval/search", Map.of("query", "x", "conversation", endless)), 400, "invalid_value");
        assertProblem(client.post("/api/retrieval/search", "{not json"), 400, "invalid_json");
    }
}
