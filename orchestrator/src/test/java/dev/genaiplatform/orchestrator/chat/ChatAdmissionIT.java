package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.orchestrator.support.TestRedis;
import dev.genaiplatform.orchestrator.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shedding at the door: with {@code max-in-flight} 4 and the model holding every answer, a burst of 24 chat requests
 * gets 20 refusals (503 service_busy + Retry-After) while the 4 admitted ones are still waiting for the model, and all 4
 * admitted ones complete once the model answers. Real Kafka, Redis and HTTP; guardrails and retrieval are stand-ins.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.orchestrator.admission.max-in-flight=4",
        "platform.orchestrator.cache.enabled=false",
        "platform.orchestrator.answer-kinds.abstain.min-relevance=0",
        "platform.orchestrator.answer-kinds.clarify.enabled=false",
        "platform.orchestrator.resilience.first-token-timeout=30s",
        "management.server.port=0"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers", topics = {
        Topics.GUARDRAILS_CHECK_INPUT, Topics.GUARDRAILS_INPUT_CHECKED, Topics.GUARDRAILS_CHECK_OUTPUT,
        Topics.GUARDRAILS_OUTPUT_CHECKED, Topics.RETRIEVAL_SEARCH, Topics.RETRIEVAL_SEARCH_RESULT,
        Topics.CHAT_COMPLETION_RECORDED})
@Import(ChatCompletionFlowIT.FakePlatformServices.class)
class ChatAdmissionIT {

    private static final FakeOpenAiServer MODEL = startModel();
    private static final int BOUND = 4;
    private static final int BURST = 24;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("platform.orchestrator.providers.simulator.base-url", MODEL::baseUrl);
        registry.add("platform.security.jwk-set-uri", TestTokens::jwksUri);
        registry.add("spring.data.redis.port", TestRedis::port);
    }

    @AfterAll
    static void stopModel() {
        MODEL.close();
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = new JsonMapper();

    @Test
    void aBurstBeyondTheBoundIsRefusedAtOnceAndEveryAdmittedRequestCompletes(
            @Autowired KafkaListenerEndpointRegistry listeners) throws Exception {
        listeners.getListenerContainers().forEach(container -> ContainerTestUtils.waitForAssignment(container, 3));
        CountDownLatch model = MODEL.holdAnswers();
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        try {
            for (int i = 0; i < BURST; i++) {
                burst.add(this.http.sendAsync(request(i % 2 == 0, "Burst question " + i + " about retrieval ranking?"),
                        HttpResponse.BodyHandlers.ofString()));
            }
            // every refusal arrives while the admitted requests are still held at the model
            await().atMost(Duration.ofSeconds(60)).until(() -> burst.stream().filter(CompletableFuture::isDone).count()
                    == BURST - BOUND);
            await().atMost(Duration.ofSeconds(60)).until(() -> MODEL.waitingAnswers() == BOUND);
            List<HttpResponse<String>> refused = burst.stream().filter(CompletableFuture::isDone)
                    .map(CompletableFuture::join).toList();
            assertThat(refused).allSatisfy(response -> {
                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                JsonNode problem = this.json.readTree(response.body());
                assertThat(problem.get("type").asString()).isEqualTo("urn:genai-platform:problem:service_busy");
                assertThat(problem.at("/error/code").asString()).isEqualTo("service_busy");
            });
        }
        finally {
            model.countDown();
        }

        List<HttpResponse<String>> admitted = burst.stream().map(CompletableFuture::join)
                .filter(response -> response.statusCode() != 503).toList();
        assertThat(admitted).hasSize(BOUND).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            // a whole answer, or a stream that ended with its finish chunk and [DONE]
            assertThat(response.body()).satisfiesAnyOf(body -> assertThat(body).contains("Retrieval fuses BM25"),
                    body -> assertThat(body).contains("\"finish_reason\":\"stop\"").contains("[DONE]"));
        });

        // the permits came back: the next request is admitted
        MODEL.holdAnswers().countDown();
        assertThat(this.http.send(request(false, "After the burst, how does retrieval rank passages?"),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    private HttpRequest request(boolean stream, String question) {
        String body = """
                {"model": "sim-small", "stream": %s, "messages": [{"role": "user", "content": "%s"}]}"""
                .formatted(stream, question);
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestTokens.chat("burst"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static FakeOpenAiServer startModel() {
        try {
            return new FakeOpenAiServer();
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
