package dev.genaiplatform.retrieval.rewrite;

import com.sun.net.httpserver.HttpServer;
import dev.genaiplatform.contracts.retrieval.ConversationTurn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The model rewriter against a stand-in OpenAI-compatible server on loopback: what it sends, reads, and falls back on. */
class ModelQueryRewriterTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<ConversationTurn> CONVERSATION = List.of(
            new ConversationTurn("user", "How does the gateway rate limit each API key?"),
            new ConversationTurn("assistant", "With a token bucket per key in Redis."));

    private final AtomicReference<JsonNode> received = new AtomicReference<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private ModelQueryRewriter serving(int status, String content) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            received.set(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            byte[] body = (content == null ? "{}" : JSON.writeValueAsString(JSON.createObjectNode().set("choices",
                    JSON.createArrayNode().add(JSON.createObjectNode().set("message",
                            JSON.createObjectNode().put("role", "assistant").put("content", content))))))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return rewriter("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    private ModelQueryRewriter rewriter(String baseUrl) {
        var requests = new JdkClientHttpRequestFactory();
        requests.setReadTimeout(Duration.ofSeconds(2));
        return new ModelQueryRewriter(RestClient.builder().baseUrl(baseUrl).requestFactory(requests).build(), "sim-small", 3,
                new RuleBasedQueryRewriter(3), meters);
    }

    @Test
    void sendsTheConversationAsTurnsAndReadsTheStandaloneQueryAndAlternatives() throws IOException {
        ModelQueryRewriter rewriter = serving(200,
                "{\"query\": \"What happens to gateway rate limiting when Redis is down?\", \"alternatives\": "
                        + "[\"Redis outage rate limiter fail-open\", \"what happens to gateway rate limiting when redis is down?\", "
                        + "\"gateway behaviour without Redis\", \"one too many\"]}");

        QueryRewrite rewrite = rewriter.rewrite("And what if it is down?", CONVERSATION);

        assertThat(rewrite.rewrittenBy()).isEqualTo("model");
        assertThat(rewrite.standalone()).isEqualTo("What happens to gateway rate limiting when Redis is down?");
        assertThat(rewrite.queries()).containsExactly("What happens to gateway rate limiting when Redis is down?",
                "Redis outage rate limiter fail-open", "gateway behaviour without Redis");
        JsonNode request = received.get();
        assertThat(request.path("model").asString()).isEqualTo("sim-small");
        assertThat(request.path("temperature").asInt()).isZero();
        assertThat(request.path("response_format").path("type").asString()).isEqualTo("json_schema");
        List<String> roles = request.path("messages").valueStream().map(m -> m.path("role").asString()).toList();
        assertThat(roles).containsExactly("system", "user", "assistant", "user");
        assertThat(request.path("messages").path(0).path("content").asString()).contains("stand alone").contains("up to 2");
        assertThat(request.path("messages").path(3).path("content").asString()).isEqualTo("And what if it is down?");
    }

    @Test
    void theRulesStandInWhenTheModelFailsAnswersNonsenseOrIsNotThere() throws IOException {
        for (ModelQueryRewriter broken : List.of(serving(503, "{}"), rewriter("http://127.0.0.1:1/v1"))) {
            QueryRewrite rewrite = broken.rewrite("And what if it is down?", CONVERSATION);
            assertThat(rewrite.rewrittenBy()).isEqualTo("rules");
            assertThat(rewrite.standalone()).contains("gateway", "rate", "limit");
            stop();
        }
        for (String nonsense : List.of("I don't know.", "{\"query\": \"\", \"alternatives\": []}", "{\"alternatives\": [\"x\"]}")) {
            QueryRewrite rewrite = serving(200, nonsense).rewrite("And what if it is down?", CONVERSATION);
            assertThat(rewrite.rewrittenBy()).as(nonsense).isEqualTo("rules");
            stop();
        }
        assertThat(meters.counter("retrieval.rewrite", "rewriter", "model", "outcome", "fallback").count()).isEqualTo(5);
    }
}
