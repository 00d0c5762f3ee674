package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.orchestrator.support.TestRedis;
import dev.genaiplatform.orchestrator.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
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

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat flow with its provider set to {@code stream-whole-answers: false}: an answer the client takes whole is
 * asked for non-streamed and comes out as it does when streamed (text, finish reason, the provider's usage,
 * citations, the output check, a held JSON schema with its repair); a streamed request still streams.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.orchestrator.providers.simulator.stream-whole-answers=false",
        "platform.orchestrator.guardrails.timeout=3s",
        "platform.orchestrator.cache.enabled=false",
        // the fake retrieval returns the same passages for every question: no answer-kind rule may hold one back
        "platform.orchestrator.answer-kinds.abstain.min-relevance=0",
        "platform.orchestrator.answer-kinds.clarify.enabled=false",
        "platform.orchestrator.output-checks.window-chars=24",
        "management.server.port=0"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers", topics = {
        Topics.GUARDRAILS_CHECK_INPUT, Topics.GUARDRAILS_INPUT_CHECKED, Topics.GUARDRAILS_CHECK_OUTPUT,
        Topics.GUARDRAILS_OUTPUT_CHECKED, Topics.RETRIEVAL_SEARCH, Topics.RETRIEVAL_SEARCH_RESULT,
        Topics.CHAT_COMPLETION_RECORDED})
@Import(ChatCompletionFlowIT.FakePlatformServices.class)
class WholeAnswersUnstreamedIT {

    private static final FakeOpenAiServer MODEL = startModel();
    private static final String SCHEMA = """
            {"type": "object", "required": ["answer", "sources"], "properties": {
              "answer": {"type": "string"}, "sources": {"type": "array", "items": {"type": "integer"}}}}""";

    @DynamicPropertySource
    static void modelServer(DynamicPropertyRegistry registry) {
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
        MODEL.fault("sim-small", null);
        MODEL.fault("sim-large", null);
    }

    @Test
    void aWholeAnswerIsAskedForNonStreamedAndAnsweredWithTheProvidersUsageAndCitations() throws Exception {
        HttpResponse<String> response = post("""
                {"model": "sim-small", "messages": [{"role": "user", "content": "How does retrieval rank passages?"}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(MODEL.requests().getLast().path("stream").asBoolean(false)).isFalse();
        JsonNode body = this.json.readTree(response.body());
        assertThat(body.at("/choices/0/message/content").asString()).isEqualTo(FakeOpenAiServer.ANSWER_WITH_CITATIONS);
        assertThat(body.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(FakeOpenAiServer.PROMPT_TOKENS);
        assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(FakeOpenAiServer.COMPLETION_TOKENS);
        assertThat(body.get("citations")).hasSize(2);
        assertThat(response.headers().firstValue("Server-Timing")).hasValueSatisfying(timing ->
                assertThat(timing).contains("model;dur=").contains("output-checks;dur="));
    }

    @Test
    void aFailingProviderIsRetriedThenReplacedByTheFallbackAsForAStreamedCall() throws Exception {
        MODEL.fault("sim-large", "server-error");
        int before = MODEL.requests().size();

        HttpResponse<String> response = post("""
                {"model": "sim-large", "messages": [{"role": "user", "content": "How does retrieval rank passages?"}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = this.json.readTree(response.body());
        assertThat(body.at("/choices/0/message/content").asString()).isEqualTo(FakeOpenAiServer.ANSWER_WITH_CITATIONS);
        assertThat(MODEL.requests().subList(before, MODEL.requests().size()))
                .extracting(request -> request.get("model").asString() + ":" + request.path("stream").asBoolean(false))
                .containsExactly("sim-large:false", "sim-large:false", "sim-small:false");
        MODEL.fault("sim-large", null);
    }

    @Test
    void anAnswerHeldToASchemaIsRepairedThroughNonStreamedCalls() throws Exception {
        MODEL.fault("sim-small", "schema-violation-once");

        HttpResponse<String> response = post("""
                {"model": "sim-small", "messages": [{"role": "user", "content": "Answer as JSON: how are passages ranked?"}],
                 "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "schema": %s}}}"""
                .formatted(SCHEMA));

        JsonNode body = this.json.readTree(response.body());
        assertThat(body.at("/choices/0/message/content").asString()).isEqualTo(FakeOpenAiServer.JSON_ANSWER);
        assertThat(body.at("/platform/structuredOutput/attempts").asInt()).isEqualTo(2);
        assertThat(MODEL.requests().getLast().path("stream").asBoolean(false)).isFalse();
    }

    @Test
    void aStreamedRequestIsStillStreamedFromTheProvider() throws Exception {
        HttpResponse<String> response = post("""
                {"model": "sim-small", "stream": true,
                 "messages": [{"role": "user", "content": "How does retrieval rank passages?"}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(MODEL.requests().getLast().path("stream").asBoolean(false)).isTrue();
        assertThat(response.body()).contains("chat.completion.chunk").contains("\"finish_reason\":\"stop\"")
                .contains("[DONE]");
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestTokens.chat("acme"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static FakeOpenAiServer startModel() {
        try {
            return new FakeOpenAiServer();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
