package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.orchestrator.resilience.ResilientModelCalls;
import dev.genaiplatform.orchestrator.support.TestRedis;
import dev.genaiplatform.orchestrator.support.TestTokens;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scorecard's rows that need more than one request to show: a circuit that opens, a bulkhead that is full, and
 * the gateway's deadline. The real orchestrator (embedded Kafka, real Redis, the fake guardrails and retrieval of the
 * flow test) in front of a fake model server. Each row has a model on a provider of its own ({@code flaky},
 * {@code crowded}, {@code slow}), so one row's breaker or bulkhead never touches another's; their fallback
 * {@code sim-small} is on a provider of its own too ({@code backup}). Breaker: 4 calls, 50 % failed opens it for
 * 2 s; bulkhead: 2 calls per provider. First-token and idle timeouts are 30 s, so only the deadline can end a slow
 * answer early.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.orchestrator.answer-kinds.abstain.min-relevance=0",
        "platform.orchestrator.answer-kinds.clarify.enabled=false",
        "platform.orchestrator.output-checks.window-chars=24",
        "platform.orchestrator.cache.enabled=false",
        "platform.orchestrator.resilience.first-token-timeout=30s",
        "platform.orchestrator.resilience.idle-timeout=30s",
        "platform.orchestrator.resilience.backoff=10ms",
        "platform.orchestrator.resilience.sliding-window=4",
        "platform.orchestrator.resilience.minimum-calls=4",
        "platform.orchestrator.resilience.open-duration=2s",
        "platform.orchestrator.resilience.max-concurrent-calls=2",
        "platform.orchestrator.providers.flaky.kind=openai",
        "platform.orchestrator.providers.flaky.api-key=k",
        "platform.orchestrator.providers.crowded.kind=openai",
        "platform.orchestrator.providers.crowded.api-key=k",
        "platform.orchestrator.providers.slow.kind=openai",
        "platform.orchestrator.providers.slow.api-key=k",
        "platform.orchestrator.providers.backup.kind=openai",
        "platform.orchestrator.providers.backup.api-key=k",
        "platform.orchestrator.models.flaky.provider=flaky",
        "platform.orchestrator.models.flaky.model=flaky",
        "platform.orchestrator.models.crowded.provider=crowded",
        "platform.orchestrator.models.crowded.model=crowded",
        "platform.orchestrator.models.slow.provider=slow",
        "platform.orchestrator.models.slow.model=slow",
        "platform.orchestrator.models.sim-small.provider=backup",
        "platform.orchestrator.fallbacks.flaky[0]=sim-small",
        "platform.orchestrator.fallbacks.crowded[0]=sim-small",
        "platform.orchestrator.fallbacks.slow[0]=sim-small",
        "management.server.port=0"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers", topics = {
        Topics.GUARDRAILS_CHECK_INPUT, Topics.GUARDRAILS_INPUT_CHECKED, Topics.GUARDRAILS_CHECK_OUTPUT,
        Topics.GUARDRAILS_OUTPUT_CHECKED, Topics.RETRIEVAL_SEARCH, Topics.RETRIEVAL_SEARCH_RESULT,
        Topics.CHAT_COMPLETION_RECORDED})
@Import(ChatCompletionFlowIT.FakePlatformServices.class)
class ResilienceLimitsIT {

    private static final FakeOpenAiServer MODEL = startModel();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        for (String provider : List.of("simulator", "flaky", "crowded", "slow", "backup")) {
            registry.add("platform.orchestrator.providers." + provider + ".base-url", MODEL::baseUrl);
        }
        registry.add("platform.security.jwk-set-uri", TestTokens::jwksUri);
        registry.add("spring.data.redis.port", TestRedis::port);
    }

    @AfterAll
    static void stopModel() {
        MODEL.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    ResilientModelCalls modelCalls;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = new JsonMapper();

    @BeforeEach
    void fakeServicesAreListening(@Autowired KafkaListenerEndpointRegistry listeners) {
        listeners.getListenerContainers().forEach(container -> ContainerTestUtils.waitForAssignment(container, 3));
    }

    @AfterEach
    void healModels() {
        MODEL.clearFaults();
    }

    // ---- (a) a circuit that opens -----------------------------------------------------------------------------

    @Test
    void aModelThatKeepsFailingOpensItsCircuitThenRequestsGoStraightToTheFallbackUntilAProbeFindsItHealthy()
            throws Exception {
        MODEL.fault("flaky", "server-error");
        String withFallback = TestTokens.builder("acme").models("flaky", "sim-small").sign();

        // two requests, two attempts each: 4 failed calls fill the breaker's window, all failed
        for (boolean streamed : List.of(false, true)) {
            HttpResponse<String> response = send(withFallback, "flaky", streamed);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(attempts(response, streamed))
                    .containsExactly("flaky:server_error_500", "flaky:server_error_500", "sim-small:ok");
        }
        assertThat(this.modelCalls.breaker("flaky").getState()).isEqualTo(CircuitBreaker.State.OPEN);
        long flakyCalls = MODEL.requestsFor("flaky");

        // open: whole and streamed requests go straight to the fallback; the failing model hears nothing
        for (boolean streamed : List.of(false, true)) {
            HttpResponse<String> response = send(withFallback, "flaky", streamed);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(text(response, streamed)).isEqualTo(FakeOpenAiServer.ANSWER_WITH_CITATIONS);
            assertThat(attempts(response, streamed)).containsExactly("flaky:circuit_open", "sim-small:ok");
        }
        // no fallback left (the key may use only the failing model): 503 with Retry-After, at once
        HttpResponse<String> alone = send(TestTokens.builder("acme").models("flaky").sign(), "flaky", false);
        assertThat(alone.statusCode()).isEqualTo(503);
        assertThat(alone.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(this.json.readTree(alone.body()).get("type").asString())
                .isEqualTo("urn:genai-platform:problem:model_unavailable");
        assertThat(alone.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(MODEL.requestsFor("flaky")).isEqualTo(flakyCalls);

        // the model heals; once the open duration (2 s) passed, the next request is let through as a probe
        MODEL.fault("flaky", null);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                attempts(send(withFallback, "flaky", false), false).equals(List.of("flaky:ok")));
        assertThat(MODEL.requestsFor("flaky")).isEqualTo(flakyCalls + 1);
        assertThat(this.modelCalls.breaker("flaky").getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        // the second successful probe closes it again
        assertThat(attempts(send(withFallback, "flaky", true), true)).containsExactly("flaky:ok");
        assertThat(this.modelCalls.breaker("flaky").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    // ---- (b) a full bulkhead ----------------------------------------------------------------------------------

    @Test
    void callsBeyondTheBulkheadGoToTheFallbackOrGet503ServiceBusyAndNeverHang() throws Exception {
        CountDownLatch held = MODEL.holdAnswers("crowded");
        String withFallback = TestTokens.builder("acme").models("crowded", "sim-small").sign();
        List<CompletableFuture<HttpResponse<String>>> inside;
        try {
            inside = List.of(sendAsync(withFallback, "crowded", false), sendAsync(withFallback, "crowded", true));
            await().atMost(Duration.ofSeconds(30)).until(() -> MODEL.waitingAnswers("crowded") == 2);

            // the bulkhead (2) is full: a third call is refused at once and the fallback answers
            for (boolean streamed : List.of(false, true)) {
                HttpResponse<String> response = send(withFallback, "crowded", streamed);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(text(response, streamed)).isEqualTo(FakeOpenAiServer.ANSWER_WITH_CITATIONS);
                assertThat(attempts(response, streamed)).containsExactly("crowded:bulkhead_full", "sim-small:ok");
            }
            // no fallback left: 503 service_busy with Retry-After, whole and streamed, while the two still wait
            for (boolean streamed : List.of(false, true)) {
                HttpResponse<String> busy = send(TestTokens.builder("acme").models("crowded").sign(), "crowded",
                        streamed);
                assertThat(busy.statusCode()).isEqualTo(503);
                assertThat(busy.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(this.json.readTree(busy.body()).at("/error/code").asString()).isEqualTo("service_busy");
                assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
            }
            assertThat(MODEL.requestsFor("crowded")).isEqualTo(2);
            assertThat(inside).noneMatch(CompletableFuture::isDone);
        }
        finally {
            held.countDown();
        }
        // the two inside were only waiting for the model: they complete with its answer
        assertThat(inside.get(0).get().statusCode()).isEqualTo(200);
        assertThat(attempts(inside.get(0).get(), false)).containsExactly("crowded:ok");
        assertThat(inside.get(1).get().statusCode()).isEqualTo(200);
        assertThat(text(inside.get(1).get(), true)).isEqualTo(FakeOpenAiServer.ANSWER_WITH_CITATIONS);
    }

    // ---- (c) the deadline -------------------------------------------------------------------------------------

    /**
     * The model would answer after 20 s; the gateway's deadline leaves 4 s. The client's own timeout (15 s) is
     * shorter than the model's delay and the 30 s first-token timeout: a 504 at all means it came at the deadline.
     */
    @Test
    void aModelSlowerThanTheRemainingDeadlineEndsIn504AtTheDeadlineAndNothingIsTriedAfterIt() throws Exception {
        MODEL.fault("slow", "slow-first-token=20000");
        for (boolean streamed : List.of(false, true)) {
            long slowCalls = MODEL.requestsFor("slow");
            long fallbackCalls = MODEL.requestsFor("sim-small");
            String token = TestTokens.builder("acme").models("slow", "sim-small")
                    .deadline(Instant.now().plusSeconds(4)).sign();

            HttpResponse<String> response = send(token, "slow", streamed);

            assertThat(response.statusCode()).as("streamed=" + streamed).isEqualTo(504);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = this.json.readTree(response.body());
            assertThat(problem.get("type").asString()).isEqualTo("urn:genai-platform:problem:upstream_timeout");
            assertThat(problem.get("status").asInt()).isEqualTo(504);
            assertThat(problem.at("/error/code").asString()).isEqualTo("upstream_timeout");
            // one attempt; no retry and no fallback started after the deadline
            assertThat(MODEL.requestsFor("slow") - slowCalls).isEqualTo(1);
            assertThat(MODEL.requestsFor("sim-small")).isEqualTo(fallbackCalls);
        }
        // the deadline is the request's, not the provider's fault: the provider's circuit recorded no failure
        assertThat(this.modelCalls.breaker("slow").getMetrics().getNumberOfFailedCalls()).isZero();
    }

    /** Words already went out when the deadline passed: the stream ends with an upstream_timeout error event. */
    @Test
    void aStreamStillRunningAtTheDeadlineEndsWithAnUpstreamTimeoutErrorEventAfterTheWordsSent() throws Exception {
        // each sentence 2 s after the last: the first is out at about 2 s, the answer would end after 6 s
        MODEL.fault("slow", "slow-tokens=2000");
        String token = TestTokens.builder("acme").models("slow", "sim-small")
                .deadline(Instant.now().plusSeconds(5)).sign();
        long fallbackCalls = MODEL.requestsFor("sim-small");

        HttpResponse<String> response = send(token, "slow", true);

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> data = data(response.body());
        assertThat(streamedText(response.body())).isNotEmpty()
                .isNotEqualTo(FakeOpenAiServer.ANSWER_WITH_CITATIONS);
        JsonNode last = this.json.readTree(data.getLast());
        assertThat(last.at("/error/code").asString()).isEqualTo("upstream_timeout");
        assertThat(last.at("/platform/answerKind").asString()).isEqualTo("partial");
        assertThat(data).doesNotContain("[DONE]");
        assertThat(MODEL.requestsFor("sim-small")).isEqualTo(fallbackCalls);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private List<String> attempts(HttpResponse<String> response, boolean streamed) {
        JsonNode platform = streamed ? finishChunk(response.body()).get("platform")
                : this.json.readTree(response.body()).get("platform");
        List<String> attempts = new java.util.ArrayList<>();
        platform.get("attempts").forEach(attempt -> attempts.add(attempt.asString()));
        return attempts;
    }

    private String text(HttpResponse<String> response, boolean streamed) {
        return streamed ? streamedText(response.body())
                : this.json.readTree(response.body()).at("/choices/0/message/content").asString();
    }

    private HttpRequest request(String token, String model, boolean streamed, Duration timeout) {
        String body = """
                {"model": "%s", "stream": %s, "messages": [{"role": "user", "content": "How does retrieval rank passages?"}]}"""
                .formatted(model, streamed);
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/chat/completions"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpResponse<String> send(String token, String model, boolean streamed) throws Exception {
        return this.http.send(request(token, model, streamed, Duration.ofSeconds(15)),
                HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(String token, String model, boolean streamed) {
        // held at the model on purpose, until the test releases it
        return this.http.sendAsync(request(token, model, streamed, Duration.ofSeconds(120)),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> data(String sse) {
        return sse.lines().filter(line -> line.startsWith("data:")).map(line -> line.substring(5).strip()).toList();
    }

    private String streamedText(String sse) {
        StringBuilder text = new StringBuilder();
        for (String data : data(sse)) {
            if (!data.equals("[DONE]")) {
                text.append(this.json.readTree(data).at("/choices/0/delta/content").asString(""));
            }
        }
        return text.toString();
    }

    private JsonNode finishChunk(String sse) {
        return data(sse).stream().filter(d -> !d.equals("[DONE]")).map(this.json::readTree)
                .filter(c -> c.at("/choices/0/finish_reason").isString()).findFirst().orElseThrow();
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
