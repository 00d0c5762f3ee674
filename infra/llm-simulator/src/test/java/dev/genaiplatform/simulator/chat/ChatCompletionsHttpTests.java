package dev.genaiplatform.simulator.chat;

import com.knuddels.jtokkit.api.EncodingType;
import dev.genaiplatform.simulator.GatedServingEngine;
import dev.genaiplatform.simulator.SimulatorServerTest;
import dev.genaiplatform.simulator.model.ChatMessage;
import dev.genaiplatform.simulator.tokens.TokenPiece;
import dev.genaiplatform.simulator.tokens.Tokenizer;
import dev.genaiplatform.simulator.tokens.Tokenizers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

@SimulatorServerTest
class ChatCompletionsHttpTests {

    static final String SYSTEM = resource("/prompts/grounded-system-message.txt");
    static final String QUESTION = "How does retrieval rank passages?";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A generous guard against a hang, never a speed assertion. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(20);

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    GatedServingEngine engine;
    @Autowired
    MeterRegistry meters;

    private WebTestClient client;
    private static final Tokenizer tokenizer = new Tokenizers().forEncoding(EncodingType.O200K_BASE);

    @BeforeEach
    void connect() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(HANG_GUARD).build();
    }

    @Test
    void answersWithAChatCompletionWhoseUsageComesFromTheTokenizer() {
        JsonNode body = post(request(false, "")).expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(body.get("id").asString()).startsWith("chatcmpl-");
        assertThat(body.get("object").asString()).isEqualTo("chat.completion");
        assertThat(body.get("created").asLong()).isPositive();
        assertThat(body.get("model").asString()).isEqualTo("sim-small");
        assertThat(body.at("/choices/0/message/role").asString()).isEqualTo("assistant");
        String content = body.at("/choices/0/message/content").asString();
        assertThat(content).startsWith("The orchestrator asks retrieval for the passages").contains(" [1]");
        assertThat(body.at("/choices/0/finish_reason").asString()).isEqualTo("stop");

        int promptTokens = tokenizer.countPrompt(List.of(new ChatMessage("system", SYSTEM), new ChatMessage("user", QUESTION)));
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(promptTokens);
        assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(tokenizer.count(content));
        assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(promptTokens + tokenizer.count(content));
    }

    @Test
    void streamsTheRoleThenOneChunkPerTokenThenTheFinishReasonThenDone() {
        List<String> events = stream(request(true, ""));

        assertThat(events.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(JSON::readTree).toList();
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.get("object").asString()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.get("id").asString()).isEqualTo(chunks.getFirst().get("id").asString());
            assertThat(chunk.has("usage")).isFalse();
        });
        assertThat(chunks.getFirst().at("/choices/0/delta/role").asString()).isEqualTo("assistant");
        List<JsonNode> content = chunks.subList(1, chunks.size() - 1);
        assertThat(content).hasSizeGreaterThan(10).allSatisfy(chunk -> {
            assertThat(chunk.at("/choices/0/delta/content").asString()).isNotEmpty();
            assertThat(chunk.at("/choices/0/finish_reason").isNull()).isTrue();
        });
        JsonNode last = chunks.getLast();
        assertThat(last.at("/choices/0/delta").isEmpty()).isTrue();
        assertThat(last.at("/choices/0/finish_reason").asString()).isEqualTo("stop");

        String streamed = String.join("", content.stream().map(c -> c.at("/choices/0/delta/content").asString()).toList());
        String whole = post(request(false, "")).expectBody(JsonNode.class).returnResult().getResponseBody()
                .at("/choices/0/message/content").asString();
        assertThat(streamed).isEqualTo(whole);
    }

    @Test
    void endsTheStreamWithAUsageChunkWhenAsked() {
        List<String> events = stream(request(true, ",\"stream_options\":{\"include_usage\":true}"));

        JsonNode usage = JSON.readTree(events.get(events.size() - 2));
        assertThat(usage.get("choices").isEmpty()).isTrue();
        assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(events.size() - 4);
        assertThat(usage.at("/usage/prompt_tokens").asInt()).isPositive();
        JsonNode finish = JSON.readTree(events.get(events.size() - 3));
        assertThat(finish.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
    }

    @Test
    void framesEventsExactlyAsOpenAiDoes() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Content-Type", "application/json").timeout(HANG_GUARD)
                .POST(HttpRequest.BodyPublishers.ofString(request(true, ""))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        assertThat(response.body()).startsWith("data: {").endsWith("\n\ndata: [DONE]\n\n");
        assertThat(response.body().split("\n\n")).allSatisfy(event -> assertThat(event).startsWith("data: ")
                .doesNotContain("\n"));
    }

    @Test
    void sendsTheFirstTokenBeforeTheRestOfTheAnswerExists() {
        Sinks.Empty<Void> gate = engine.closeForNextGeneration();

        Flux<String> events = client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.TEXT_EVENT_STREAM).bodyValue(request(true, ""))
                .exchange().expectStatus().isOk().returnResult(String.class).getResponseBody();

        StepVerifier.create(events)
                .assertNext(role -> assertThat(role).contains("\"role\":\"assistant\""))
                .assertNext(first -> assertThat(first).contains("\"content\":\"The\""))
                // only now may the rest be generated: a buffering server would never have sent the above
                .then(gate::tryEmitEmpty)
                .thenConsumeWhile(event -> !event.equals("[DONE]"))
                .expectNext("[DONE]")
                .expectComplete()
                .verify(HANG_GUARD);
    }

    @Test
    void cutsTheAnswerAtMaxTokensWithFinishReasonLength() {
        JsonNode body = post(request(false, ",\"max_tokens\":2")).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        String firstTwoTokens = tokenizer.pieces("The orchestrator asks").subList(0, 2).stream()
                .map(TokenPiece::text).collect(Collectors.joining());
        assertThat(body.at("/choices/0/message/content").asString()).isEqualTo(firstTwoTokens);
        assertThat(body.at("/choices/0/finish_reason").asString()).isEqualTo("length");
        assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(2);
    }

    @Test
    void saysItDoesNotKnowWhenThePromptHasNoPassages() {
        JsonNode body = post("{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello?\"}]}")
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(body.at("/choices/0/message/content").asString())
                .isEqualTo("I don't know. The provided context does not answer that question.");
    }

    @Test
    void acceptsContentAsAnArrayOfTextParts() {
        String body = """
                {"model":"sim-small","messages":[{"role":"system","content":[{"type":"text","text":%s}]},
                 {"role":"user","content":[{"type":"text","text":"%s"}]}]}""".formatted(JSON.writeValueAsString(SYSTEM), QUESTION);

        JsonNode answer = post(body).expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(answer.at("/choices/0/message/content").asString()).contains(" [1]");
    }

    @Test
    void listsTheConfiguredModelProfiles() {
        JsonNode list = client.get().uri("/v1/models").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(list.get("object").asString()).isEqualTo("list");
        assertThat(list.get("data")).hasSize(2);
        assertThat(list.at("/data/0/id").asString()).isEqualTo("sim-small");
        assertThat(list.at("/data/0/object").asString()).isEqualTo("model");
        assertThat(list.at("/data/0/owned_by").asString()).isEqualTo("genai-platform");
        assertThat(list.at("/data/1/id").asString()).isEqualTo("sim-large");
        // prices ride along as an extra member, USD per 1,000 tokens; the large model costs more
        assertThat(list.at("/data/0/pricing/currency").asString()).isEqualTo("USD");
        assertThat(list.at("/data/0/pricing/input_per_1k_tokens").decimalValue()).isEqualByComparingTo("0.00015");
        assertThat(list.at("/data/0/pricing/output_per_1k_tokens").decimalValue()).isEqualByComparingTo("0.0006");
        assertThat(list.at("/data/1/pricing/input_per_1k_tokens").decimalValue()).isEqualByComparingTo("0.0025");
        assertThat(list.at("/data/1/pricing/output_per_1k_tokens").decimalValue()).isEqualByComparingTo("0.01");
        client.get().uri("/v1/models/sim-small").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.id").isEqualTo("sim-small");
        client.get().uri("/v1/models/gpt-imaginary").exchange().expectStatus().isNotFound().expectBody()
                .jsonPath("$.error.code").isEqualTo("model_not_found");
    }

    @Test
    void refusesAnUnknownModelWithOpenAisNotFoundError() {
        post("{\"model\":\"gpt-imaginary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().json("""
                        {"error":{"message":"The model `gpt-imaginary` does not exist or you do not have access to it.",
                          "type":"invalid_request_error","param":"model","code":"model_not_found"}}""", true);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            malformed JSON            | {"model": "sim-small", "messages": [                               | null                   | null
            an empty body             | ''                                                                  | null                   | null
            not an object             | []                                                                  | null                   | null
            missing model             | {"messages":[{"role":"user","content":"hi"}]}                       | model                  | missing_required_parameter
            model of the wrong type   | {"model":7,"messages":[{"role":"user","content":"hi"}]}             | model                  | invalid_type
            missing messages          | {"model":"sim-small"}                                               | messages               | missing_required_parameter
            messages not an array     | {"model":"sim-small","messages":"hello"}                            | messages               | invalid_type
            no messages               | {"model":"sim-small","messages":[]}                                 | messages               | empty_array
            a message not an object   | {"model":"sim-small","messages":["hi"]}                             | messages[0]            | invalid_type
            a message without role    | {"model":"sim-small","messages":[{"content":"hi"}]}                 | messages[0].role       | missing_required_parameter
            an unknown role           | {"model":"sim-small","messages":[{"role":"robot","content":"hi"}]}  | messages[0].role       | invalid_value
            content of the wrong type | {"model":"sim-small","messages":[{"role":"user","content":42}]}      | messages[0].content    | invalid_type
            a user without content    | {"model":"sim-small","messages":[{"role":"user"}]}                  | messages[0].content    | missing_required_parameter
            stream of the wrong type  | {"model":"sim-small","stream":"yes","messages":[{"role":"user","content":"hi"}]} | stream | invalid_type
            stream_options not object | {"model":"sim-small","stream":true,"stream_options":1,"messages":[{"role":"user","content":"hi"}]} | stream_options | invalid_type
            max_tokens zero           | {"model":"sim-small","max_tokens":0,"messages":[{"role":"user","content":"hi"}]} | max_tokens | integer_below_min_value
            max_tokens a string       | {"model":"sim-small","max_tokens":"9","messages":[{"role":"user","content":"hi"}]} | max_tokens | invalid_type
            """)
    void refusesABadRequestWithOpenAisErrorShape(String what, String body, String param, String code) {
        JsonNode error = post(body).expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("error");

        assertThat(error.get("message").asString()).isNotBlank().doesNotContain("Exception");
        assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").isNull() ? null : error.get("param").asString()).isEqualTo(param);
        assertThat(error.get("code").isNull() ? null : error.get("code").asString()).isEqualTo(code);
    }

    @Test
    void refusesAPromptThatDoesNotFitTheContextWindow() {
        String longQuestion = "word ".repeat(3_000);
        String body = "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"" + longQuestion + "\"}]}";

        post(body).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.error.code").isEqualTo("context_length_exceeded")
                .jsonPath("$.error.param").isEqualTo("messages")
                .jsonPath("$.error.message").value(String.class, message -> assertThat(message)
                        .startsWith("This model's maximum context length is 2048 tokens."));
    }

    @Test
    void refusesABodyLargerThanTheLimitWith413() {
        String body = "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(300_000) + "\"}]}";

        post(body).expectStatus().isEqualTo(413).expectBody().jsonPath("$.error.type").isEqualTo("invalid_request_error");
    }

    @Test
    void answersAnUnknownPathUnderV1WithOpenAisInvalidUrl() {
        client.post().uri("/v1/embeddings").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isNotFound().expectBody()
                .jsonPath("$.error.message").isEqualTo("Invalid URL (POST /v1/embeddings)");
    }

    @Test
    void keepsTheReceivedBodiesVerbatimForInspection() {
        client.delete().uri("/sim/requests").exchange().expectStatus().isNoContent();
        String first = "{\"model\":\"sim-small\",  \"messages\":[{\"role\":\"user\",\"content\":\"mail <EMAIL_ADDRESS>\"}]}";
        String second = "{\"model\":\"gpt-imaginary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        post(first).expectStatus().isOk();
        post("{not json").expectStatus().isBadRequest();
        post(second).expectStatus().isNotFound();

        client.get().uri("/sim/requests").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(String.class).isEqualTo("[" + first + "," + second + "]");

        client.delete().uri("/sim/requests").exchange().expectStatus().isNoContent();
        client.get().uri("/sim/requests").exchange().expectBody(String.class).isEqualTo("[]");
    }

    @Test
    void countsRequestsByModelAndStatusAndTheTokensItGenerates() {
        double ok = count("simulator.requests", Map.of("model", "sim-small", "status", "200"));
        double notFound = count("simulator.requests", Map.of("model", "unknown", "status", "404"));
        double generated = count("simulator.generation.tokens", Map.of("model", "sim-small"));

        JsonNode body = post(request(false, "")).expectBody(JsonNode.class).returnResult().getResponseBody();
        post("{\"model\":\"gpt-imaginary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(count("simulator.requests", Map.of("model", "sim-small", "status", "200"))).isEqualTo(ok + 1);
        assertThat(count("simulator.requests", Map.of("model", "unknown", "status", "404"))).isEqualTo(notFound + 1);
        assertThat(count("simulator.generation.tokens", Map.of("model", "sim-small")))
                .isEqualTo(generated + body.at("/usage/completion_tokens").asInt());
    }

    @Test
    void exportsVllmStyleServingMetricsForEveryModel() {
        post(request(false, "")).expectStatus().isOk();

        String scrape = management().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        for (String model : List.of("sim-small", "sim-large")) {
            assertThat(scrape).contains("simulator_requests_running{model=\"" + model + "\"}",
                    "simulator_requests_waiting{model=\"" + model + "\"}",
                    "simulator_kv_cache_usage{model=\"" + model + "\"}");
        }
        assertThat(scrape).contains("simulator_time_to_first_token_seconds_bucket{model=\"sim-small\"",
                "simulator_inter_token_latency_seconds_count{model=\"sim-small\"}",
                "simulator_queue_time_seconds_count{model=\"sim-small\"}");
    }

    @Test
    void reportsReadinessForTheLauncher() {
        management().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    private WebTestClient management() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).responseTimeout(HANG_GUARD).build();
    }

    private WebTestClient.ResponseSpec post(String body) {
        return client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body.getBytes(StandardCharsets.UTF_8)).exchange();
    }

    private List<String> stream(String body) {
        return client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.TEXT_EVENT_STREAM).bodyValue(body)
                .exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(String.class).getResponseBody().collectList().block(HANG_GUARD);
    }

    private double count(String name, Map<String, String> tags) {
        String[] pairs = tags.entrySet().stream().flatMap(e -> Arrays.stream(new String[] {e.getKey(), e.getValue()}))
                .toArray(String[]::new);
        var counter = meters.find(name).tags(pairs).counter();
        return counter == null ? 0 : counter.count();
    }

    static String request(boolean stream, String extra) {
        return """
                {"model":"sim-small","stream":%s%s,"messages":[{"role":"system","content":%s},
                 {"role":"user","content":"%s"}]}""".formatted(stream, extra, JSON.writeValueAsString(SYSTEM), QUESTION);
    }

    static String resource(String path) {
        try (InputStream in = ChatCompletionsHttpTests.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
