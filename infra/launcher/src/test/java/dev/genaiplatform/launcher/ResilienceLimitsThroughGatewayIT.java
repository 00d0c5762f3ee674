package dev.genaiplatform.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The three resilience rows the orchestrator's {@code ResilienceLimitsIT} drives against a fake model, now through the
 * whole platform: the real gateway (a tenant's API key, the deadline it puts in the internal token), orchestrator,
 * guardrails and the real LLM simulator, whose fault rules make each model misbehave on every request.
 *
 * <ul>
 *   <li>an opening circuit: {@code sim-flaky} answers {@code server-error} to everything;</li>
 *   <li>a full bulkhead: {@code sim-crowded} holds every answer ({@code slow-first-token}) while two calls fill its
 *       provider's bulkhead of two;</li>
 *   <li>the gateway's deadline: {@code sim-slow-start} would answer after a minute, {@code sim-slow-tokens} trickles
 *       one token per {@value #TOKEN_DELAY_MS} ms ({@code slow-tokens}), both past the deadline.</li>
 * </ul>
 *
 * <p>The shared platform ({@link RunningPlatform}) keeps the defaults (a 120 s deadline, a breaker that needs ten
 * calls, a bulkhead of 64) that these rows need changed, so this class starts a platform of its own with the gateway's
 * response timeout (the token's {@code deadline}) at {@value #DEADLINE_S} s, first-token and idle timeouts above it (so
 * only the deadline can end a slow answer early), a breaker that opens after four failed calls of four, and
 * bulkheads of two. Each row's model has a provider of its own, so one row never opens or fills another's; each
 * falls back to {@code sim-small}, and an {@code -alone} twin on the same provider has no fallback.
 *
 * <p>The two deadline rows wait the deadline out; their requests are sent as soon as the platform is warm
 * ({@link #sendTheDeadlineRows}), so that wait passes while the other rows run, which go first; each deadline test
 * then reads its answers.
 */
// a platform of its own: run before the shared one starts (junit-platform.properties), never two at once
@Order(5)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResilienceLimitsThroughGatewayIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String KEY = "e2e-limits-key";
    private static final int DEADLINE_S = 20;
    /** How long {@code sim-crowded} holds each answer: time for the test to see both calls held and ask twice more. */
    private static final int CROWDED_HOLD_MS = 10_000;
    private static final int TOKEN_DELAY_MS = 700;
    /** The hang guard: far beyond the deadline, so a hang fails the test instead of passing it. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(DEADLINE_S * 4L);

    private static LauncherSettings settings;
    private static Platform platform;
    /** What the simulator counted for {@code sim-slow-start} before the deadline row's two requests. */
    private static double slowStartCallsBefore;
    private static CompletableFuture<HttpResponse<String>> slowStartWhole;
    private static CompletableFuture<HttpResponse<String>> slowStartStreamed;
    private static CompletableFuture<HttpResponse<String>> slowTokensStreamed;

    @BeforeAll
    static void startPlatform() throws Exception {
        settings = RunningPlatform.freshSettings("platform-limits-data-", "limits-demo-key", "0.1",
                simulatorPort -> Map.of("SIM_TIME_TO_FIRST_TOKEN_MS", "0", "SIM_INTER_TOKEN_MS", "0",
                        "GATEWAY_RESPONSE_TIMEOUT", DEADLINE_S + "s",
                        "LLM_FIRST_TOKEN_TIMEOUT", (DEADLINE_S * 3) + "s",
                        "LLM_IDLE_TIMEOUT", (DEADLINE_S * 3) + "s",
                        "SPRING_APPLICATION_JSON", configuration(simulatorPort)),
                Map.of("orchestrator", List.of(
                        "--platform.orchestrator.resilience.sliding-window=4",
                        "--platform.orchestrator.resilience.minimum-calls=4",
                        "--platform.orchestrator.resilience.failure-rate-threshold=50",
                        // open for the rest of the run: the half-open probe is the orchestrator IT's row
                        "--platform.orchestrator.resilience.open-duration=10m",
                        "--platform.orchestrator.resilience.max-concurrent-calls=2")));
        // a chat's path only: tools-agent (agent runs) and evaluation (reads completion events afterwards) are not on
        // it, so two of the seven starts (and their memory) are saved
        platform = Platform.start(settings, line -> System.out.println("[limits] " + line),
                service -> !service.equals("tools-agent") && !service.equals("evaluation"));
        // the first answers of a cold platform are slow (JIT): warm it before any deadline counts
        for (int i = 0; i < 3; i++) {
            complete("sim-small", false);
        }
        sendTheDeadlineRows();
    }

    /**
     * The requests of the two rows that can only end at the deadline, sent at once: whole and streamed to
     * {@code slow-start} (the slow provider's bulkhead of two holds both) and the trickling stream of
     * {@code slow-tokens} (a provider of its own). Each is timed from its own start, so waiting side by side with
     * the other rows changes nothing they assert; one deadline passes instead of two after everything else.
     */
    private static void sendTheDeadlineRows() throws Exception {
        slowStartCallsBefore = simulatorCounter("simulator_faults_total", "sim-slow-start");
        slowStartWhole = completeAsync("slow-start", false);
        slowStartStreamed = completeAsync("slow-start", true);
        slowTokensStreamed = completeAsync("slow-tokens", true);
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        if (platform != null) {
            platform.close();
        }
        if (settings != null) {
            Infrastructure.wipe(settings);
        }
    }

    // ---- an opening circuit -------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aProviderThatKeepsFailingOpensItsCircuitAndIsThenNotCalledAtAll() throws Exception {
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> failing = complete("flaky", false);
            assertThat(failing.statusCode()).as(failing.body()).isEqualTo(200);
            assertThat(JSON.readTree(failing.body()).at("/platform/attempts").toString()).as(failing.body())
                    .isEqualTo("[\"flaky:server_error_500\",\"flaky:server_error_500\",\"sim-small:ok\"]");
        }
        double calls = simulatorCounter("simulator_faults_total", "sim-flaky");
        assertThat(calls).isEqualTo(4);

        HttpResponse<String> open = complete("flaky", false);
        assertThat(open.statusCode()).as(open.body()).isEqualTo(200);
        assertThat(JSON.readTree(open.body()).at("/platform/attempts").toString()).as(open.body())
                .isEqualTo("[\"flaky:circuit_open\",\"sim-small:ok\"]");

        for (boolean stream : List.of(false, true)) {
            HttpResponse<String> alone = complete("flaky-alone", stream);
            assertThat(alone.statusCode()).as(alone.body()).isEqualTo(503);
            assertThat(alone.headers().firstValue("Retry-After")).as("stream=" + stream).isPresent();
            assertThat(JSON.readTree(alone.body()).at("/error/code").asString()).isEqualTo("model_unavailable");
        }
        assertThat(simulatorCounter("simulator_faults_total", "sim-flaky"))
                .as("an open circuit refuses locally: the failing model is not called again").isEqualTo(calls);
    }

    // ---- a full bulkhead ----------------------------------------------------------------------------------------

    @Test
    @Order(2)
    void aFullBulkheadRefusesAtOnceToTheFallbackOrWith503ServiceBusyAndTheHeldCallsStillAnswer() throws Exception {
        double before = simulatorCounter("simulator_faults_total", "sim-crowded");
        CompletableFuture<HttpResponse<String>> first = completeAsync("crowded-alone", false);
        CompletableFuture<HttpResponse<String>> second = completeAsync("crowded-alone", false);
        // both calls are at the model (the simulator counted their fault): the provider's two slots are taken
        await().atMost(Duration.ofSeconds(CROWDED_HOLD_MS / 1000 - 1)).pollInterval(Duration.ofMillis(50))
                .until(() -> simulatorCounter("simulator_faults_total", "sim-crowded") == before + 2);

        HttpResponse<String> third = complete("crowded", false);
        HttpResponse<String> fourth = complete("crowded-alone", false);
        boolean stillHeld = !first.isDone() && !second.isDone();

        assertThat(third.statusCode()).as(third.body()).isEqualTo(200);
        assertThat(JSON.readTree(third.body()).at("/platform/attempts").toString()).as(third.body())
                .isEqualTo("[\"crowded:bulkhead_full\",\"sim-small:ok\"]");
        assertThat(fourth.statusCode()).as(fourth.body()).isEqualTo(503);
        assertThat(fourth.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(JSON.readTree(fourth.body()).at("/error/code").asString()).isEqualTo("service_busy");
        assertThat(stillHeld).as("both refusals came while the two calls were still held").isTrue();
        for (CompletableFuture<HttpResponse<String>> held : List.of(first, second)) {
            HttpResponse<String> answered = held.join();
            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
            assertThat(JSON.readTree(answered.body()).at("/platform/attempts").toString()).isEqualTo("[\"crowded-alone:ok\"]");
        }
        assertThat(simulatorCounter("simulator_faults_total", "sim-crowded"))
                .as("the refused calls never reached the model").isEqualTo(before + 2);
    }

    // ---- the gateway's deadline ---------------------------------------------------------------------------------

    @Test
    @Order(3)
    void aModelSlowerThanTheDeadlineIsA504UpstreamTimeoutWithNoRetryAndNoFallback() throws Exception {
        // whole and streamed, sent side by side once the platform was warm (sendTheDeadlineRows)
        for (boolean stream : List.of(false, true)) {
            HttpResponse<String> late = (stream ? slowStartStreamed : slowStartWhole).join();
            assertThat(late.statusCode()).as(late.body()).isEqualTo(504);
            assertThat(late.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = JSON.readTree(late.body());
            assertThat(problem.at("/type").asString()).isEqualTo("urn:genai-platform:problem:upstream_timeout");
            assertThat(problem.at("/error/code").asString()).isEqualTo("upstream_timeout");
            System.out.println("[limits] deadline, stream=" + stream + ": " + late.body());
        }
        assertThat(simulatorCounter("simulator_faults_total", "sim-slow-start"))
                .as("one call per request: past the deadline nothing is retried").isEqualTo(slowStartCallsBefore + 2);
    }

    @Test
    @Order(4)
    void aStreamStillRunningAtTheDeadlineEndsWithAnErrorEventAfterItsWordsNeverWithDoneOrAHang() throws Exception {
        HttpResponse<String> response = slowTokensStreamed.join();
        System.out.println("[limits] slow tokens: " + response.statusCode() + " " + response.body());
        if (response.statusCode() == 504) {
            // the output check still held every word back at the deadline: nothing reached the client
            assertThat(JSON.readTree(response.body()).at("/error/code").asString()).isEqualTo("upstream_timeout");
            return;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> data = response.body().lines().filter(line -> line.startsWith("data:"))
                .map(line -> line.substring(5).strip()).toList();
        assertThat(data).as(response.body()).doesNotContain("[DONE]");
        assertThat(streamedText(data)).as("words reached the client before the deadline").isNotBlank();
        assertThat(JSON.readTree(data.getLast()).at("/error/code").asString()).as(response.body())
                .isEqualTo("upstream_timeout");
    }

    // ---- the platform's configuration -----------------------------------------------------------------------------

    /**
     * The simulator's own models plus one per row (each with a fault rule on every request), the orchestrator's
     * providers, models and fallbacks for them, and a gateway tenant allowed all of them.
     */
    private static String configuration(int simulatorPort) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode platform = root.putObject("platform");
        ObjectNode simulator = platform.putObject("simulator");
        ArrayNode models = simulator.putArray("models");
        models.addAll((ArrayNode) JSON.valueToTree(simulatorModels()));
        ArrayNode rules = simulator.putObject("faults").putArray("rules");
        ObjectNode orchestrator = platform.putObject("orchestrator");
        ObjectNode providers = orchestrator.putObject("providers");
        ObjectNode orchestratorModels = orchestrator.putObject("models");
        ObjectNode fallbacks = orchestrator.putObject("fallbacks");
        // one document to index, not the whole docs/ tree: these rows need a grounded question, not the corpus, and
        // retrieval embeds what it indexes at start (minutes on a busy machine)
        platform.putObject("retrieval").put("documents", "file:" + Path.of(System.getProperty("platform.home", "../.."))
                .toAbsolutePath().normalize().resolve("docs/architecture.md"));
        ObjectNode tenant = platform.putObject("gateway").putObject("tenants").putObject("limits");
        tenant.putObject("rate-limit").put("replenish-rate", 50).put("burst-capacity", 100);
        tenant.putObject("keys").putObject("limits").put("api-key", KEY).putArray("scopes").add("chat");
        ArrayNode allowed = tenant.putArray("models").add("sim-small");

        record Row(String name, String provider, String kind, Integer parameter) {
        }
        for (Row row : List.of(new Row("flaky", "flaky", "server-error", null),
                new Row("crowded", "crowded", "slow-first-token", CROWDED_HOLD_MS),
                new Row("slow-start", "slow", "slow-first-token", 60_000),
                // not the slow provider: its bulkhead of two holds slow-start's two requests at the same time
                new Row("slow-tokens", "slow-stream", "slow-tokens", TOKEN_DELAY_MS))) {
            String simModel = "sim-" + row.name();
            ObjectNode model = models.addObject().put("id", simModel).put("time-to-first-token", "0ms")
                    .put("inter-token-delay", "0ms");
            if (row.name().equals("slow-tokens")) {
                // a long answer, so the stream outlasts the deadline by far
                model.putObject("answer").put("max-sentences", 8).put("min-relevance", 0.1);
            }
            ObjectNode rule = rules.addObject().put("model", simModel).put("kind", row.kind()).put("every", 1);
            if (row.parameter() != null) {
                rule.put("parameter", row.parameter());
            }
            providers.putObject(row.provider()).put("kind", "openai")
                    .put("base-url", "http://127.0.0.1:" + simulatorPort + "/v1").put("api-key", "limits");
            for (String name : List.of(row.name(), row.name() + "-alone")) {
                orchestratorModels.putObject(name).put("provider", row.provider()).put("model", simModel)
                        .put("context-window", 16384);
                allowed.add(name);
            }
            fallbacks.putArray(row.name()).add("sim-small");
        }
        return JSON.writeValueAsString(root);
    }

    /** The simulator's {@code platform.simulator.models} as its application.yml lists them (a list replaces a list). */
    @SuppressWarnings("unchecked")
    private static List<Object> simulatorModels() {
        Path yml = Path.of(System.getProperty("platform.home", "../.."))
                .resolve("infra/llm-simulator/src/main/resources/application.yml");
        try (InputStream in = Files.newInputStream(yml)) {
            for (Object document : new Yaml().loadAll(in)) {
                if (document instanceof Map<?, ?> map && map.get("platform") instanceof Map<?, ?> platform
                        && platform.get("simulator") instanceof Map<?, ?> simulator
                        && simulator.get("models") instanceof List<?> models) {
                    return (List<Object>) models;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("no platform.simulator.models in " + yml);
    }

    // ---- the client -----------------------------------------------------------------------------------------------

    private static HttpResponse<String> complete(String model, boolean stream) throws Exception {
        return HTTP.send(completion(model, stream), HttpResponse.BodyHandlers.ofString());
    }

    /** A question nobody asked before, the cache bypassed: every request reaches the model. */
    private static HttpRequest completion(String model, boolean stream) {
        String question = "How does the gateway limit request rates per tenant? (limits " + UUID.randomUUID() + ")";
        String body = JSON.writeValueAsString(Map.of("model", model, "stream", stream,
                "messages", List.of(Map.of("role", "user", "content", question))));
        return HttpRequest.newBuilder(gateway("/v1/chat/completions"))
                .timeout(CLIENT_TIMEOUT)
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .header("Cache-Control", "no-cache")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** As {@link #complete}, without blocking a thread while the answer is held. */
    private static CompletableFuture<HttpResponse<String>> completeAsync(String model, boolean stream) {
        return HTTP.sendAsync(completion(model, stream), HttpResponse.BodyHandlers.ofString());
    }

    private static URI gateway(String path) {
        return URI.create("http://127.0.0.1:" + settings.gatewayPort() + path);
    }

    /** A counter of the simulator's Prometheus scrape (management port), summed over the model's series. */
    private static double simulatorCounter(String name, String model) throws Exception {
        URI scrape = URI.create("http://127.0.0.1:" + (settings.simulatorPort() + RunningPlatform.MANAGEMENT_OFFSET)
                + "/actuator/prometheus");
        String text = HTTP.send(HttpRequest.newBuilder(scrape).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(line -> line.startsWith(name + "{") && line.contains("model=\"" + model + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static String streamedText(List<String> data) {
        StringBuilder text = new StringBuilder();
        for (String event : data) {
            if (!"[DONE]".equals(event)) {
                text.append(JSON.readTree(event).at("/choices/0/delta/content").asString(""));
            }
        }
        return text.toString();
    }
}
