package dev.genaiplatform.launcher;

import dev.genaiplatform.launcher.scenario.Scenarios;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The platform as a user runs it: the launcher starts a real KRaft broker, a real Redis and every
 * service as its own JVM from the jars the build just packaged; the test then speaks only HTTP to the
 * gateway, as an OpenAI client would (plus the simulator's inspection endpoint, to see what the model
 * received).
 */
class PlatformEndToEndIT {

    private static final String DEMO_KEY = RunningPlatform.DEMO_KEY;
    private static final String BURST_KEY = RunningPlatform.BURST_KEY;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern CITATION = Pattern.compile("([^\\[\\]]+?)\\s*\\[(\\d+)]");

    private static Path docs;

    @BeforeAll
    static void startPlatform() throws Exception {
        docs = RunningPlatform.get().home().resolve("docs");
    }

    @Test
    void answersWithACitationThatPointsAtTheSentenceInARealChunkOfTheDocs() throws Exception {
        HttpResponse<String> response = chat(DEMO_KEY, """
                {"model":"sim-small","messages":[{"role":"user","content":"How does retrieval rank passages?"}]}""");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        String answer = body.at("/choices/0/message/content").asString();
        assertThat(body.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        assertThat(body.at("/usage/prompt_tokens").asInt()).isPositive();
        assertThat(body.at("/usage/completion_tokens").asInt()).isPositive();

        JsonNode citations = body.get("citations");
        assertThat(citations).as("citations in " + body).isNotEmpty();
        Matcher cited = CITATION.matcher(answer);
        assertThat(cited.find()).as("a cited sentence in: " + answer).isTrue();
        String sentence = cited.group(1).trim();
        int number = Integer.parseInt(cited.group(2));

        JsonNode citation = findCitation(citations, number);
        String source = Files.readString(docs.resolve(citation.get("documentPath").asString()));
        String chunk = source.substring(citation.get("startOffset").asInt(), citation.get("endOffset").asInt());
        assertThat(collapse(chunk)).as("chunk %s of %s", number, citation.get("documentPath"))
                .contains(collapse(sentence));
    }

    @Test
    void streamsSeveralChunksThenAFinishChunkWithTheCitationsThenDone() throws Exception {
        HttpResponse<Stream<String>> response = HTTP.send(chatRequest(DEMO_KEY, """
                        {"model":"sim-small","stream":true,
                         "messages":[{"role":"user","content":"How does retrieval rank passages?"}]}"""),
                HttpResponse.BodyHandlers.ofLines());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> events = response.body().filter(line -> line.startsWith("data:"))
                .map(line -> line.substring(5).trim()).toList();

        assertThat(events.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(JSON::readTree).toList();
        long contentChunks = chunks.stream().filter(c -> !c.at("/choices/0/delta/content").asString("").isEmpty()).count();
        assertThat(contentChunks).as("content chunks").isGreaterThan(3);
        assertThat(chunks).allSatisfy(c -> assertThat(c.get("object").asString()).isEqualTo("chat.completion.chunk"));
        JsonNode finish = chunks.getLast();
        assertThat(finish.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        assertThat(finish.get("citations")).as("citations ride on the finish chunk").isNotEmpty();
    }

    @Test
    void anEmailAddressInThePromptNeverReachesTheModel() throws Exception {
        String email = "jane.doe.e2e@example.com";
        HttpResponse<String> response = chat(DEMO_KEY, """
                {"model":"sim-small","messages":[{"role":"user",
                 "content":"Write to %s: how does the gateway limit request rates?"}]}""".formatted(email));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        String received = HTTP.send(HttpRequest.newBuilder(simulator("/sim/requests")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(received).contains("how does the gateway limit request rates");
        assertThat(received).doesNotContain(email).contains("<EMAIL_ADDRESS>");
    }

    @Test
    void refusesAMissingOrUnknownKeyWith401() throws Exception {
        HttpResponse<String> noKey = HTTP.send(HttpRequest.newBuilder(gateway("/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrongKey = chat("not-a-key", """
                {"model":"sim-small","messages":[{"role":"user","content":"hi"}]}""");

        for (HttpResponse<String> response : List.of(noKey, wrongKey)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
    }

    @Test
    void limitsABurstWith429AndRetryAfter() throws Exception {
        String body = """
                {"model":"sim-small","messages":[{"role":"user","content":"What is the gateway?"}]}""";
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            responses.add(chat(BURST_KEY, body));
        }

        assertThat(responses.subList(0, 3)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        HttpResponse<String> limited = responses.getLast();
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(limited.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    @Test
    void listsTheModelsTheCallerMayUse() throws Exception {
        // (that another tenant sees only its own list is the gateway's GatewayIT)
        assertThat(modelIds(DEMO_KEY)).containsExactly("sim-small", "sim-large", RunningPlatform.CONFIGURED_MODEL, "auto",
                Scenarios.OFFLINE_MODEL);
    }

    private static List<String> modelIds(String key) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(gateway("/v1/models"))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        JSON.readTree(response.body()).get("data").forEach(model -> ids.add(model.get("id").asString()));
        return ids;
    }

    @Test
    void aModelAddedByConfigurationAloneReachesItsProvider() throws Exception {
        HTTP.send(HttpRequest.newBuilder(simulator("/sim/requests")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());

        HttpResponse<String> response = chat(DEMO_KEY, """
                {"model":"%s","messages":[{"role":"user","content":"How does retrieval rank passages?"}]}"""
                .formatted(RunningPlatform.CONFIGURED_MODEL));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("model").asString()).isEqualTo(RunningPlatform.CONFIGURED_MODEL);
        JsonNode received = JSON.readTree(HTTP.send(HttpRequest.newBuilder(simulator("/sim/requests")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(received.get(received.size() - 1).get("model").asString()).isEqualTo("sim-large");
    }

    @Test
    void completionEventsReachEvaluation() throws Exception {
        assertThat(chat(DEMO_KEY, """
                {"model":"sim-small","messages":[{"role":"user","content":"What does evaluation record?"}]}""")
                .statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(gateway("/api/evaluation/aggregates"))
                    .header("Authorization", "Bearer " + DEMO_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"tenantId\":\"demo\"").contains("sim-small");
        });
    }

    static Stream<Arguments> badRequests() {
        String tenMegabytes = "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "a".repeat(10 * 1024 * 1024) + "\"}]}";
        return Stream.of(
                Arguments.of("malformed JSON", "{\"model\": \"sim-small\", \"messages\": [", 400),
                Arguments.of("missing messages", "{\"model\":\"sim-small\"}", 400),
                Arguments.of("messages of the wrong type", "{\"model\":\"sim-small\",\"messages\":\"hello\"}", 400),
                Arguments.of("stream of the wrong type",
                        "{\"model\":\"sim-small\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400),
                Arguments.of("empty content",
                        "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"  \"}]}", 400),
                Arguments.of("unknown model",
                        "{\"model\":\"gpt-imaginary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404),
                Arguments.of("a 10 MB body", tenMegabytes, 413));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @MethodSource("badRequests")
    void badInputGetsAProblemJson4xx(String what, String body, int expectedStatus) throws Exception {
        HttpResponse<String> response = chat(DEMO_KEY, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("status").asInt()).isEqualTo(expectedStatus);
    }

    private static HttpResponse<String> chat(String key, String body) throws Exception {
        return HTTP.send(chatRequest(key, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest chatRequest(String key, String body) throws Exception {
        return HttpRequest.newBuilder(gateway("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static JsonNode findCitation(JsonNode citations, int number) {
        for (JsonNode c : citations) {
            if (c.get("index").asInt() == number) {
                return c;
            }
        }
        throw new AssertionError("no citation [" + number + "] in " + citations);
    }

    private static String collapse(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }

    private static URI gateway(String path) throws Exception {
        return RunningPlatform.gateway(path);
    }

    private static URI simulator(String path) throws Exception {
        return RunningPlatform.simulator(path);
    }
}
