package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.orchestrator.support.TestRedis;
import dev.genaiplatform.orchestrator.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every fault kind of the simulator ({@code docs/fault-kinds.md}), injected on {@code sim-large} (fallback chain
 * {@code sim-large -> sim-small}), whole and streamed: what the client sees. The table in
 * {@code docs/resilience-scorecard.md} is this test in words.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // the fake retrieval returns the same two passages for every question: the answer-kind rules would hold
        // back most of this class's questions, which test other mechanisms (AnswerTraceIT tests the rules)
        "platform.orchestrator.answer-kinds.abstain.min-relevance=0",
        "platform.orchestrator.answer-kinds.clarify.enabled=false",
        // output checks in windows of 24 characters: a short test answer still streams in several pieces
        "platform.orchestrator.output-checks.window-chars=24",
        "platform.orchestrator.cache.enabled=false",
        "platform.orchestrator.resilience.first-token-timeout=3s",
        "platform.orchestrator.resilience.idle-timeout=3s",
        "platform.orchestrator.resilience.backoff=10ms",
        "platform.orchestrator.resilience.minimum-calls=1000",
        "platform.orchestrator.resilience.sliding-window=1000",
        "management.server.port=0"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers", topics = {
        Topics.GUARDRAILS_CHECK_INPUT, Topics.GUARDRAILS_INPUT_CHECKED, Topics.GUARDRAILS_CHECK_OUTPUT, Topics.GUARDRAILS_OUTPUT_CHECKED, Topics.RETRIEVAL_SEARCH,
        Topics.RETRIEVAL_SEARCH_RESULT, Topics.CHAT_COMPLETION_RECORDED})
@Import(ChatCompletionFlowIT.FakePlatformServices.class)
class ResilienceScorecardIT {

    private static final FakeOpenAiServer MODEL = startModel();

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

    @BeforeEach
    void fakeServicesAreListening(@Autowired KafkaListenerEndpointRegistry listeners) {
        listeners.getListenerContainers().forEach(container -> ContainerTestUtils.waitForAssignment(container, 3));
    }

    @AfterEach
    void healModels() {
        MODEL.clearFaults();
    }

    /** Faults the platform absorbs before anything reaches the client: the answer comes from the fallback. */
    @ParameterizedTest(name = "{0} on sim-large, streamed={1}: 200 from sim-small")
    @CsvSource({"server-error,false", "server-error,true", "bad-gateway,false", "bad-gateway,true",
            "unavailable=1,false", "unavailable=0,true", "rate-limit-storm=0,false", "rate-limit-storm=0,true",
            "hang,false", "hang,true", "stream-cut,false", "malformed-chunk,false"})
    void absorbedFaultsAreAnsweredByTheFallbackModel(String fault, boolean streamed) throws Exception {
        MODEL.fault("sim-large", fault);

        HttpResponse<String> response = send("sim-large", streamed);

        assertThat(response.statusCode()).isEqualTo(200);
        String answer = streamed ? streamedText(response.body()) : this.json.readTree(response.body())
                .at("/choices/0/message/content").asString();
        assertThat(answer).isEqualTo(FakeOpenAiServer.ANSWER_WITH_CITATIONS);
        JsonNode platform = streamed ? finishChunk(response.body()).get("platform")
                : this.json.readTree(response.body()).get("platform");
        assertThat(platform.at("/route/model").asString()).isEqualTo("sim-small");
        assertThat(platform.get("attempts").toString()).contains("sim-large:").endsWith("\"sim-small:ok\"]");
    }

    /** Retries are bounded: a transient fault costs two attempts of sim-large, then one of sim-small. */
    @Test
    void serverErrorsAreRetriedOnceWithBackoffThenFallBack() throws Exception {
        MODEL.fault("sim-large", "server-error");
        long large = MODEL.requestsFor("sim-large");

        HttpResponse<String> response = send("sim-large", false);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(MODEL.requestsFor("sim-large") - large).isEqualTo(2);
        assertThat(this.json.readTree(response.body()).at("/platform/attempts").toString())
                .isEqualTo("[\"sim-large:server_error_500\",\"sim-large:server_error_500\",\"sim-small:ok\"]");
    }

    /** Once tokens went out the answer cannot be replaced: the stream ends with an explicit error event. */
    @ParameterizedTest(name = "{0} streamed after the first tokens: error event, never a silent stop")
    @CsvSource({"stream-cut", "malformed-chunk"})
    void aStreamBrokenAfterTokensEndsWithAnErrorEvent(String fault) throws Exception {
        MODEL.fault("sim-small", fault);

        HttpResponse<String> response = send("sim-small", true);

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> data = data(response.body());
        assertThat(streamedText(response.body())).isNotEmpty();
        JsonNode last = this.json.readTree(data.getLast());
        assertThat(last.at("/error/code").asString()).isEqualTo("model_failed");
        assertThat(data).doesNotContain("[DONE]");
    }

    /**
     * The output check holds a stream's first words back (windows of 24 characters here): a provider that breaks
     * off after two short chunks has sent nothing to the client yet, so the fallback answers, as for a whole answer,
     * and not a word of the broken attempt reaches the client.
     */
    @ParameterizedTest(name = "{0} streamed before any text reached the client: 200 from sim-small")
    @CsvSource({"stream-cut=2", "malformed-chunk=2"})
    void aStreamBrokenWhileTheOutputCheckStillHoldsItsFirstWordsFallsBack(String fault) throws Exception {
        MODEL.fault("sim-large", fault);
        long small = MODEL.requestsFor("sim-small");

        HttpResponse<String> response = send("sim-large", true);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(streamedText(response.body())).isEqualTo(FakeOpenAiServer.ANSWER_WITH_CITATIONS);
        JsonNode platform = finishChunk(response.body()).get("platform");
        assertThat(platform.at("/route/model").asString()).isEqualTo("sim-small");
        assertThat(platform.get("attempts").toString()).startsWith("[\"sim-large:").endsWith("\"sim-small:ok\"]");
        assertThat(data(response.body()).getLast()).isEqualTo("[DONE]");
        assertThat(MODEL.requestsFor("sim-small") - small).isEqualTo(1);
    }

    /** The same break with no fallback left: nothing was sent, so the client gets a 502 problem, not a 200 stream. */
    @Test
    void aStreamBrokenBeforeAnyTextReachedTheClientWithoutFallbackIsA502Problem() throws Exception {
        MODEL.fault("sim-small", "stream-cut=2");

        HttpResponse<String> response = send("sim-small", true);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(this.json.readTree(response.body()).at("/error/code").asString()).isEqualTo("model_failed");
    }

    @Test
    void aHungProviderWithoutFallbackEndsInA502WithinTheFirstTokenTimeout() throws Exception {
        MODEL.fault("sim-small", "hang");

        HttpResponse<String> response = send("sim-small", false);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(this.json.readTree(response.body()).at("/error/code").asString()).isEqualTo("model_failed");
    }

    @Test
    void nonStreamedCutsAndMalformedBodiesWithoutFallbackAreA502ProblemNotA500() throws Exception {
        for (String fault : List.of("stream-cut", "malformed-chunk")) {
            MODEL.fault("sim-small", fault);
            HttpResponse<String> response = send("sim-small", false);
            assertThat(response.statusCode()).as(fault).isEqualTo(502);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(this.json.readTree(response.body()).get("type").asString())
                    .isEqualTo("urn:genai-platform:problem:model_failed");
        }
    }

    @Test
    void whenEveryOptionIsRateLimitedTheClientGets429WithRetryAfterNever502() throws Exception {
        MODEL.fault("sim-large", "rate-limit-storm=7");
        MODEL.fault("sim-small", "rate-limit-storm=5");

        HttpResponse<String> response = send("sim-large", false);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(this.json.readTree(response.body()).at("/error/code").asString()).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void contextLengthExceededIsTheClientsToFixAndIsNeitherRetriedNorFallenBack() throws Exception {
        MODEL.fault("sim-large", "context-length-exceeded");
        long small = MODEL.requestsFor("sim-small");

        HttpResponse<String> whole = send("sim-large", false);
        HttpResponse<String> streamed = send("sim-large", true);

        assertThat(whole.statusCode()).isEqualTo(400);
        assertThat(this.json.readTree(whole.body()).at("/error/code").asString()).isEqualTo("context_length_exceeded");
        assertThat(streamed.statusCode()).isEqualTo(400);
        assertThat(MODEL.requestsFor("sim-small")).isEqualTo(small);
    }

    @ParameterizedTest(name = "{0}: the model's own finish reason comes through")
    @CsvSource({"content-filter,content_filter", "length,length"})
    void truncatedAnswersKeepTheirFinishReason(String fault, String finishReason) throws Exception {
        MODEL.fault("sim-large", fault);

        HttpResponse<String> whole = send("sim-large", false);
        HttpResponse<String> streamed = send("sim-large", true);

        assertThat(this.json.readTree(whole.body()).at("/choices/0/finish_reason").asString()).isEqualTo(finishReason);
        assertThat(finishChunk(streamed.body()).at("/choices/0/finish_reason").asString()).isEqualTo(finishReason);
    }

    @Test
    void aSlowFirstTokenWithinTheTimeoutIsJustSlow() throws Exception {
        MODEL.fault("sim-large", "slow-first-token=300");

        HttpResponse<String> response = send("sim-large", false);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(this.json.readTree(response.body()).at("/platform/route/model").asString()).isEqualTo("sim-large");
    }

    private static final String SCHEMA = """
            {"type": "object", "required": ["answer", "sources"], "properties": {
              "answer": {"type": "string"}, "sources": {"type": "array", "items": {"type": "integer"}}}}""";

    @Test
    void anAnswerThatFailsTheRequestedSchemaIsAskedForAgainWithTheErrorsAndTheAttemptsAreReported() throws Exception {
        MODEL.fault("sim-large", "schema-violation-once");

        JsonNode body = this.json.readTree(sendWithSchema().body());

        assertThat(body.at("/choices/0/message/content").asString()).isEqualTo(FakeOpenAiServer.JSON_ANSWER);
        assertThat(body.at("/platform/structuredOutput/attempts").asInt()).isEqualTo(2);
        assertThat(body.at("/platform/structuredOutput/valid").asBoolean()).isTrue();
        JsonNode reAsk = MODEL.requests().getLast().get("messages");
        assertThat(reAsk.get(reAsk.size() - 2).get("content").asString()).isEqualTo(FakeOpenAiServer.SCHEMA_VIOLATION);
        assertThat(reAsk.get(reAsk.size() - 1).get("content").asString()).contains("did not match").contains("answer");
    }

    @Test
    void repairIsBoundedAndAnAnswerThatNeverHoldsIsReturnedMarkedInvalid() throws Exception {
        MODEL.fault("sim-large", "schema-violation");
        long calls = MODEL.requestsFor("sim-large");

        JsonNode body = this.json.readTree(sendWithSchema().body());

        assertThat(MODEL.requestsFor("sim-large") - calls).isEqualTo(3);
        assertThat(body.at("/platform/structuredOutput/attempts").asInt()).isEqualTo(3);
        assertThat(body.at("/platform/structuredOutput/valid").asBoolean()).isFalse();
        assertThat(body.at("/platform/structuredOutput/errors").toString()).contains("answer");
    }

    /**
     * Streamed with a schema: the answer is held back until it validates, so the client never sees the broken first
     * answer; the valid one is streamed, with the attempts in the finish chunk.
     */
    @Test
    void aStreamedAnswerThatFailsItsSchemaIsRepairedBeforeAnyOfItIsSent() throws Exception {
        MODEL.fault("sim-large", "schema-violation-once");
        long calls = MODEL.requestsFor("sim-large");

        HttpResponse<String> response = sendWithSchema(true);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(streamedText(response.body())).isEqualTo(FakeOpenAiServer.JSON_ANSWER);
        JsonNode platform = finishChunk(response.body()).get("platform");
        assertThat(platform.at("/structuredOutput/attempts").asInt()).isEqualTo(2);
        assertThat(platform.at("/structuredOutput/valid").asBoolean()).isTrue();
        assertThat(data(response.body()).getLast()).isEqualTo("[DONE]");
        assertThat(MODEL.requestsFor("sim-large") - calls).isEqualTo(2);
        JsonNode reAsk = MODEL.requests().getLast().get("messages");
        assertThat(reAsk.get(reAsk.size() - 1).get("content").asString()).contains("did not match");
    }

    /** Streamed, never valid: after the bounded attempts an explicit error event, and no invalid JSON at all. */
    @Test
    void aStreamedAnswerThatNeverHoldsItsSchemaEndsWithAnErrorEventAndNoContent() throws Exception {
        MODEL.fault("sim-large", "schema-violation");
        long calls = MODEL.requestsFor("sim-large");

        HttpResponse<String> response = sendWithSchema(true);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(MODEL.requestsFor("sim-large") - calls).isEqualTo(3);
        List<String> data = data(response.body());
        assertThat(streamedText(response.body())).isEmpty();
        assertThat(data).doesNotContain("[DONE]");
        JsonNode last = this.json.readTree(data.getLast());
        assertThat(last.at("/error/code").asString()).isEqualTo("model_failed");
        assertThat(last.at("/error/message").asString()).contains("JSON schema").contains("3 attempts");
        assertThat(last.at("/platform/structuredOutput/attempts").asInt()).isEqualTo(3);
        assertThat(last.at("/platform/structuredOutput/valid").asBoolean()).isFalse();
    }

    private HttpResponse<String> sendWithSchema() throws Exception {
        return sendWithSchema(false);
    }

    private HttpResponse<String> sendWithSchema(boolean streamed) throws Exception {
        String body = """
                {"model": "sim-large", "stream": %s, "messages": [{"role": "user", "content": "Answer as JSON: how are passages ranked?"}],
                 "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "schema": %s}}}"""
                .formatted(streamed, SCHEMA);
        return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestTokens.chat("acme"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String model, boolean streamed) throws Exception {
        String body = """
                {"model": "%s", "stream": %s, "messages": [{"role": "user", "content": "How does retrieval rank passages?"}]}"""
                .formatted(model, streamed);
        return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestTokens.chat("acme"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> data(String sse) {
        return sse.lines().filter(line -> line.startsWith("data:")).map(line -> line.substring(5).strip()).toList();
    }

    private String streamedText(String sse) {
        StringBuilder text = new StringBuilder();
        for (String data : data(sse)) {
            if (!data.equals("[DONE]")) {
                JsonNode chunk = this.json.readTree(data);
                text.append(chunk.at("/choices/0/delta/content").asString(""));
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
