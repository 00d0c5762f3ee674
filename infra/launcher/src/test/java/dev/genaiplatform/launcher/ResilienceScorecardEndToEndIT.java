package dev.genaiplatform.launcher;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resilience scorecard (docs/resilience-scorecard.md) through the whole platform: the real gateway, orchestrator,
 * guardrails and the real LLM simulator injecting each of its fault kinds, every request whole and streamed, asserting
 * what the client sees. The orchestrator does not forward {@code x-sim-fault}, so each fault is a simulator model of
 * its own ({@code sim-fault-<kind>}, a rule faulting every request to it) behind an orchestrator model
 * {@code fault-<kind>} whose fallback is {@code sim-small}, and {@code alone-<kind>} without a fallback. Each fault
 * model has its own provider, so one fault's failures never open another's circuit breaker. On the shared platform
 * ({@link RunningPlatform}), as a tenant of its own ({@code scorecard}) whose models are these.
 */
class ResilienceScorecardEndToEndIT {

    @BeforeAll
    static void platformRuns() throws Exception {
        RunningPlatform.get();
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String KEY = RunningPlatform.SCORECARD_KEY;
    private static final List<String> KINDS = List.of("server-error", "bad-gateway", "unavailable", "rate-limit-storm",
            "hang", "context-length-exceeded", "slow-first-token", "stream-cut", "malformed-chunk", "content-filter",
            "length");

    /**
     * Adds the scorecard's models to the shared platform's configuration (see {@link RunningPlatform}): for the
     * simulator, its own two models as its application.yml defines them (a list in this JSON replaces the yml's
     * whole list; their {@code ${...}} placeholders still resolve from the simulator's environment), then one model
     * and one fault rule per kind; for the orchestrator, one provider per kind and the models {@code fault-<kind>}
     * and {@code alone-<kind>}; for the gateway, a tenant of the scorecard's own allowed all of them.
     */
    static void addFaultModels(ObjectNode root, int simulatorPort) {
        ObjectNode platform = (ObjectNode) root.get("platform");
        ObjectNode simulator = platform.putObject("simulator");
        ArrayNode models = simulator.putArray("models");
        models.addAll((ArrayNode) JSON.valueToTree(simulatorModels()));
        ArrayNode rules = simulator.putObject("faults").putArray("rules");
        ObjectNode orchestrator = object(platform, "orchestrator");
        ObjectNode providers = object(orchestrator, "providers");
        ObjectNode orchestratorModels = object(orchestrator, "models");
        ObjectNode fallbacks = object(orchestrator, "fallbacks");
        ObjectNode tenant = object(object(object(platform, "gateway"), "tenants"), "scorecard");
        tenant.putObject("rate-limit").put("replenish-rate", 50).put("burst-capacity", 100);
        tenant.putObject("keys").putObject("scorecard").put("api-key", KEY).putArray("scopes").add("chat");
        ArrayNode allowed = tenant.putArray("models");
        allowed.add("sim-small").add("sim-large");
        for (String kind : KINDS) {
            String simModel = "sim-fault-" + kind;
            models.addObject().put("id", simModel).put("time-to-first-token", "0ms").put("inter-token-delay", "0ms");
            ObjectNode rule = rules.addObject().put("model", simModel).put("kind", kind).put("every", 1);
            switch (kind) {
                case "unavailable", "rate-limit-storm" -> rule.put("parameter", 1);
                case "slow-first-token" -> rule.put("parameter", 300);
                default -> { }
            }
            providers.putObject("fault-" + kind).put("kind", "openai")
                    .put("base-url", "http://127.0.0.1:" + simulatorPort + "/v1").put("api-key", "scorecard");
            for (String prefix : List.of("fault-", "alone-")) {
                orchestratorModels.putObject(prefix + kind).put("provider", "fault-" + kind).put("model", simModel)
                        .put("context-window", 16384);
                allowed.add(prefix + kind);
            }
            fallbacks.putArray("fault-" + kind).add("sim-small");
        }
    }

    /** The simulator's {@code platform.simulator.models} as its application.yml lists them. */
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no platform.simulator.models in " + yml);
    }

    private static ObjectNode object(ObjectNode parent, String name) {
        return parent.get(name) instanceof ObjectNode existing ? existing : parent.putObject(name);
    }

    // ---- faults the fallback absorbs ------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"server-error", "bad-gateway", "unavailable", "rate-limit-storm", "hang"})
    void absorbedFaultsAreAnsweredByTheFallbackModelWholeAndStreamed(String kind) throws Exception {
        HttpResponse<String> whole = complete("fault-" + kind, false);
        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(whole.body());
        assertThat(body.at("/choices/0/message/content").asString()).isNotBlank();
        assertThat(body.at("/platform/route/model").asString()).as(whole.body()).isEqualTo("sim-small");
        assertThat(body.at("/platform/attempts").toString()).contains("fault-" + kind + ":").endsWith("\"sim-small:ok\"]");

        HttpResponse<String> streamed = complete("fault-" + kind, true);
        assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
        assertThat(dataLines(streamed.body())).as(streamed.body()).last().isEqualTo("[DONE]");
        assertThat(streamedText(streamed.body())).isNotBlank();
    }

    @Test
    void serverErrorsAreRetriedOnceBeforeTheFallback() throws Exception {
        HttpResponse<String> whole = complete("fault-server-error", false);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(whole.body()).at("/platform/attempts").toString()).as(whole.body())
                .isEqualTo("[\"fault-server-error:server_error_500\",\"fault-server-error:server_error_500\","
                        + "\"sim-small:ok\"]");
    }

    @Test
    void rateLimitedWithNothingLeftToTryIsA429WithRetryAfterNeverA502() throws Exception {
        for (boolean stream : List.of(false, true)) {
            HttpResponse<String> response = complete("alone-rate-limit-storm", stream);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
            assertThat(response.headers().firstValue("Retry-After")).as("stream=" + stream).isPresent();
            assertThat(JSON.readTree(response.body()).at("/error/code").asString()).isEqualTo("rate_limit_exceeded");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hang", "stream-cut", "malformed-chunk"})
    void withoutAFallbackAWholeAnswerThatFailsIsA502ModelFailedProblem(String kind) throws Exception {
        HttpResponse<String> whole = complete("alone-" + kind, false);
        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(502);
        assertThat(whole.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(whole.body()).at("/error/code").asString()).isEqualTo("model_failed");
    }

    @Test
    void aHungProviderWithoutFallbackIsA502BeforeAnyEventWhenStreamed() throws Exception {
        HttpResponse<String> streamed = complete("alone-hang", true);
        assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(502);
        assertThat(JSON.readTree(streamed.body()).at("/error/code").asString()).isEqualTo("model_failed");
    }

    // ---- faults that change the answer -----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"stream-cut", "malformed-chunk"})
    void aBrokenStreamFallsBackWhileNothingReachedTheClientAndNeverStopsSilently(String kind) throws Exception {
        HttpResponse<String> whole = complete("fault-" + kind, false);
        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
        assertThat(JSON.readTree(whole.body()).at("/platform/route/model").asString()).isEqualTo("sim-small");

        for (String model : List.of("fault-" + kind, "alone-" + kind)) {
            HttpResponse<String> streamed = complete(model, true);
            if (streamed.statusCode() == 200) {
                List<String> data = dataLines(streamed.body());
                assertThat(streamedText(streamed.body())).isNotEmpty();
                if (data.contains("[DONE]")) {
                    // the break came while guardrails' output check still held the first words back, so nothing
                    // of the broken attempt reached the client: the fallback model answered the whole stream
                    assertThat(model).as("only a model with a fallback finishes: " + streamed.body())
                            .startsWith("fault-");
                    JsonNode last = JSON.readTree(data.get(data.size() - 2));
                    assertThat(last.at("/platform/route/model").asString()).isEqualTo("sim-small");
                    assertThat(last.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
                } else {
                    // tokens reached the client before the break: the stream ends with an error event
                    assertThat(JSON.readTree(data.getLast()).at("/error/code").asString()).as(streamed.body())
                            .isEqualTo("model_failed");
                }
            } else {
                // no fallback left (alone-*), and nothing had reached the client: a 502 problem before any event
                assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(502);
                assertThat(streamed.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                        assertThat(type).startsWith("application/problem+json"));
                assertThat(JSON.readTree(streamed.body()).at("/error/code").asString()).isEqualTo("model_failed");
            }
        }
    }

    @Test
    void contextLengthExceededIsTheClientsToFixNeitherRetriedNorFallenBack() throws Exception {
        for (boolean stream : List.of(false, true)) {
            HttpResponse<String> response = complete("fault-context-length-exceeded", stream);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.at("/error/code").asString()).isEqualTo("context_length_exceeded");
            assertThat(problem.at("/error/param").asString()).isEqualTo("messages");
        }
    }

    @Test
    void aSlowFirstTokenWithinTheTimeoutIsJustSlow() throws Exception {
        HttpResponse<String> whole = complete("fault-slow-first-token", false);
        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
        assertThat(JSON.readTree(whole.body()).at("/platform/route/model").asString())
                .isEqualTo("fault-slow-first-token");
        HttpResponse<String> streamed = complete("fault-slow-first-token", true);
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(dataLines(streamed.body())).last().isEqualTo("[DONE]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"content-filter", "length"})
    void truncatedAnswersKeepTheProvidersFinishReason(String kind) throws Exception {
        String finishReason = kind.replace('-', '_');
        HttpResponse<String> whole = complete("fault-" + kind, false);
        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
        assertThat(JSON.readTree(whole.body()).at("/choices/0/finish_reason").asString()).isEqualTo(finishReason);

        HttpResponse<String> streamed = complete("fault-" + kind, true);
        assertThat(streamed.statusCode()).isEqualTo(200);
        String finish = dataLines(streamed.body()).stream().filter(line -> !"[DONE]".equals(line))
                .map(JSON::readTree).map(chunk -> chunk.at("/choices/0/finish_reason").asString(""))
                .filter(reason -> !reason.isEmpty()).findFirst().orElse("");
        assertThat(finish).as(streamed.body()).isEqualTo(finishReason);
    }

    // ---- the client ---------------------------------------------------------------------------------

    /** A question nobody asked before (no cache hit hides a fault), with the cache bypassed as well. */
    private static HttpResponse<String> complete(String model, boolean stream) throws Exception {
        String question = "How does the gateway limit request rates? (scorecard " + UUID.randomUUID() + ")";
        String body = JSON.writeValueAsString(Map.of("model", model, "stream", stream,
                "messages", List.of(Map.of("role", "user", "content", question))));
        HttpRequest request = HttpRequest.newBuilder(RunningPlatform.gateway("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .header("Cache-Control", "no-cache")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> dataLines(String body) {
        return body.lines().filter(line -> line.startsWith("data:")).map(line -> line.substring(5).strip()).toList();
    }

    private static String streamedText(String body) {
        StringBuilder text = new StringBuilder();
        for (String data : dataLines(body)) {
            if (!"[DONE]".equals(data)) {
                text.append(JSON.readTree(data).at("/choices/0/delta/content").asString(""));
            }
        }
        return text.toString();
    }
}
