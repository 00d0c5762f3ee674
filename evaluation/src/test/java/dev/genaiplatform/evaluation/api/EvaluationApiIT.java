package dev.genaiplatform.evaluation.api;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.contracts.guardrails.GuardrailVerdictRecordedEvent;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.evaluation.events.CompletionEventStore;
import dev.genaiplatform.evaluation.events.CompletionEvents;
import dev.genaiplatform.evaluation.safety.GuardrailVerdictStore;
import dev.genaiplatform.evaluation.scoring.PassageSource;
import dev.genaiplatform.evaluation.scoring.SavedPassages;
import dev.genaiplatform.evaluation.support.Http;
import dev.genaiplatform.evaluation.support.ReplayGateway;
import dev.genaiplatform.evaluation.support.TestDatabase;
import dev.genaiplatform.evaluation.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP API on a real PostgreSQL: offline runs against a gateway that replays real platform answers over
 * HTTP, feedback once per user and completion within a tenant, and the per-arm experiment report. Every bad
 * request is a 4xx problem and stores nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "logging.level.org.apache.kafka=WARN", "logging.level.kafka=WARN",
                "logging.level.state.change.logger=WARN"})
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class EvaluationApiIT {

    private static final ReplayGateway GATEWAY = new ReplayGateway("ci-smoke.sim-small.json");

    /** Runs score the replayed answers against the passages saved with them, not against today's docs. */
    @TestConfiguration
    static class SavedPassagesOfTheFixture {
        @Bean
        @Primary
        PassageSource savedPassages() {
            return SavedPassages.readFrom(ReplayGateway.fixture("ci-smoke.sim-small.json"));
        }
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
        TestTokens.register(registry);
        registry.add("platform.evaluation.gateway.url", () -> GATEWAY.url().toString());
    }

    @AfterAll
    static void stopGateway() {
        GATEWAY.close();
    }

    @Autowired
    private CompletionEventStore events;

    @Autowired
    private GuardrailVerdictStore verdicts;

    @LocalServerPort
    private int port;

    @LocalManagementPort
    private int managementPort;

    @Test
    void runsAGoldenSetThroughTheGatewayInTheBackgroundAndKeepsItsMetricsAndAnswers() {
        String tenant = "runs-" + UUID.randomUUID();
        Http.Reply accepted = post("/api/evaluation/runs", """
                {"set":"ci-smoke","model":"sim-small"}""", TestTokens.token(tenant, "evaluation"));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String id = accepted.json().get("id").asString();
        assertThat(accepted.json().get("totalCalls").asInt()).isEqualTo(6);

        JsonNode run = await().atMost(Duration.ofSeconds(30)).until(
                () -> get("/api/evaluation/runs/" + id, TestTokens.token(tenant, "evaluation")).json(),
                node -> node.get("status").asString().equals("SUCCEEDED"));
        assertThat(run.get("completedCalls").asInt()).isEqualTo(6);
        JsonNode quality = run.at("/summary/quality");
        assertThat(quality.get("mean").asDouble()).isBetween(0.8, 1.0);
        assertThat(quality.get("low").asDouble()).isLessThanOrEqualTo(quality.get("mean").asDouble());
        assertThat(run.at("/summary/refusalAccuracy/mean").asDouble()).isEqualTo(1.0);
        assertThat(run.at("/summary/toolAccuracy/mean").asDouble()).isEqualTo(1.0);
        assertThat(run.at("/summary/costUsd").asDouble()).isPositive();

        JsonNode gate = get("/api/evaluation/runs/" + id + "/gate", TestTokens.token(tenant, "evaluation")).json();
        assertThat(gate.get("passed").asBoolean()).as(gate.toString()).isTrue();
        // the baseline keeps four decimals
        assertThat(gate.get("meanDelta").asDouble()).isCloseTo(0.0, org.assertj.core.api.Assertions.within(1e-3));
        assertThat(gate.get("worse")).isEmpty();
        assertProblem(get("/api/evaluation/runs/" + id + "/gate?margin=2", TestTokens.token(tenant, "evaluation")),
                400, "invalid_value");

        JsonNode results = get("/api/evaluation/runs/" + id + "/results", TestTokens.token(tenant, "evaluation")).json();
        assertThat(results).hasSize(6);
        assertThat(get("/api/evaluation/runs", TestTokens.token(tenant, "evaluation")).json()).hasSize(1);

        // an inline set runs too (this gateway never recorded its question, so the answer is scored as a failure),
        // but it has no committed baseline to gate against
        String inline = post("/api/evaluation/runs", """
                {"goldenSet":{"name":"mine","version":1,"cases":[{"id":"a","kind":"refuse","messages":[{"role":"user","content":"unrecorded"}]}]},
                 "model":"sim-small"}""", TestTokens.token(tenant, "evaluation")).json().get("id").asString();
        JsonNode inlineRun = await().atMost(Duration.ofSeconds(30)).until(
                () -> get("/api/evaluation/runs/" + inline, TestTokens.token(tenant, "evaluation")).json(),
                node -> node.get("status").asString().equals("SUCCEEDED"));
        assertThat(inlineRun.at("/summary/failures").asInt()).isEqualTo(1);
        assertProblem(get("/api/evaluation/runs/" + inline + "/gate", TestTokens.token(tenant, "evaluation")), 409, "conflict");
        assertThat(get("/api/evaluation/runs", TestTokens.token(tenant, "evaluation")).json()).hasSize(2);

        Http.Reply otherTenant = get("/api/evaluation/runs/" + id, TestTokens.token("intruder", "evaluation"));
        assertThat(otherTenant.status()).isEqualTo(404);
        assertThat(otherTenant.json().get("type").asString()).isEqualTo("urn:genai-platform:problem:not_found");
    }

    @Test
    void refusesBadRunRequestsWithProblemsAndStoresNothing() {
        String tenant = "bad-runs-" + UUID.randomUUID();
        String token = TestTokens.token(tenant, "evaluation");
        assertProblem(post("/api/evaluation/runs", "{\"set\":\"nope\",\"model\":\"sim-small\"}", token), 404, "not_found");
        assertProblem(post("/api/evaluation/runs", """
                {"goldenSet":{"name":"x","version":1,"cases":[{"id":"a","kind":"maybe","messages":[{"role":"user","content":"q"}]}]},
                 "model":"sim-small"}""", token), 400, "invalid_value");
        assertProblem(post("/api/evaluation/runs", "{\"set\":\"ci-smoke\",\"model\":\"sim-small\",\"repetitions\":0}", token),
                400, "invalid_value");
        assertProblem(post("/api/evaluation/runs", "{\"set\":\"ci-smoke\"}", token), 400, "missing_required_parameter");
        assertProblem(post("/api/evaluation/runs", "{\"model\":\"sim-small\"}", token), 400, "missing_required_parameter");
        assertProblem(post("/api/evaluation/runs", "{\"set\": ", token), 400, "invalid_json");
        assertProblem(get("/api/evaluation/runs/not-a-uuid", token), 400, "invalid_value");
        assertProblem(post("/api/evaluation/runs", "{\"set\":\"ci-smoke\",\"model\":\"sim-small\"}",
                TestTokens.token(tenant, "chat")), 403, "insufficient_scope");
        assertThat(get("/api/evaluation/runs", token).json()).isEmpty();
    }

    @Test
    void takesOneFeedbackPerUserAndCompletionWithinTheTenant() {
        String tenant = "fb-" + UUID.randomUUID();
        ChatCompletionRecordedEvent event = CompletionEvents.answered(tenant, "sim-small").build();
        events.store(event, tenant);
        String alice = TestTokens.builder(tenant, "chat").user("alice").sign();
        String body = "{\"completionId\":\"" + event.requestId() + "\",\"rating\":\"up\",\"comment\":\"clear\"}";

        Http.Reply first = post("/api/evaluation/feedback", body, alice);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().get("promptVersion").asString()).isEqualTo("grounded-answer@v1");
        assertProblem(post("/api/evaluation/feedback", body, alice), 409, "conflict");
        Http.Reply bob = post("/api/evaluation/feedback", body.replace("\"up\"", "\"down\""),
                TestTokens.builder(tenant, "chat").user("bob").sign());
        assertThat(bob.status()).isEqualTo(201);

        assertProblem(post("/api/evaluation/feedback", body, TestTokens.builder("other-tenant", "chat").user("alice").sign()),
                404, "not_found");
        assertProblem(post("/api/evaluation/feedback", body.replace("\"up\"", "\"meh\""), alice), 400, "invalid_value");
        assertProblem(post("/api/evaluation/feedback", "{\"rating\":\"up\"}", alice), 400, "missing_required_parameter");
        assertProblem(post("/api/evaluation/feedback", body, TestTokens.token(tenant, "evaluation")), 403, "insufficient_scope");

        JsonNode rates = get("/api/evaluation/feedback-rates?bucket=hour", TestTokens.token(tenant, "evaluation")).json();
        assertThat(rates).singleElement().satisfies(rate -> {
            assertThat(rate.get("up").asLong()).isEqualTo(1);
            assertThat(rate.get("total").asLong()).isEqualTo(2);
            assertThat(rate.get("positiveRate").asDouble()).isEqualTo(0.5);
        });
        assertProblem(get("/api/evaluation/feedback-rates?bucket=year", TestTokens.token(tenant, "evaluation")), 400,
                "invalid_value");
        assertThat(Http.get("http://127.0.0.1:" + managementPort + "/actuator/prometheus", Map.of()).body())
                .contains("platform_evaluation_feedback_total{").contains("rating=\"down\"");
    }

    @Test
    void reportsEachArmsQualityAndCostAndSaysWhenTheDifferenceIsSignificant() {
        String tenant = "ab-" + UUID.randomUUID();
        String experiment = "prompt-v1-vs-v2";
        for (int i = 0; i < 60; i++) {
            // arm A answers 30 of 60 at 0.0001 each; arm B answers 54 of 60 at 0.0002 each
            events.store(CompletionEvents.answered(tenant, "sim-small").arm(experiment + ":A")
                    .outcome(i % 2 == 0 ? Outcome.ANSWERED : Outcome.NO_ANSWER).cost(0.0001).build(), tenant);
            events.store(CompletionEvents.answered(tenant, "sim-small").arm(experiment + ":B")
                    .outcome(i % 10 == 0 ? Outcome.NO_ANSWER : Outcome.ANSWERED).cost(0.0002).build(), tenant);
        }
        JsonNode report = get("/api/evaluation/experiments/" + experiment, TestTokens.token(tenant, "evaluation")).json();
        assertThat(report.get("control").asString()).isEqualTo("A");
        assertThat(report.get("arms")).hasSize(2);
        JsonNode a = report.get("arms").get(0);
        assertThat(a.get("answeredRate").asDouble()).isEqualTo(0.5);
        assertThat(a.get("answeredLow").asDouble()).isBetween(0.37, 0.40);
        JsonNode comparison = report.get("comparisons").get(0);
        assertThat(comparison.get("answeredRateDelta").asDouble()).isCloseTo(0.4, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(comparison.get("answeredRateP").asDouble()).isLessThan(0.001);
        assertThat(comparison.get("costDeltaUsd").asDouble()).isCloseTo(0.0001, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(comparison.get("verdict").asString()).startsWith("significantly different from A")
                .contains("answered share").contains("cost per request");

        // 60/60 fits a 50/50 assignment and is a glaring mismatch for 90/10
        JsonNode fair = get("/api/evaluation/experiments/" + experiment + "?shares=A:5000,B:5000",
                TestTokens.token(tenant, "evaluation")).json().get("sampleRatio");
        assertThat(fair.get("mismatch").asBoolean()).isFalse();
        assertThat(fair.get("pValue").asDouble()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
        JsonNode skewed = get("/api/evaluation/experiments/" + experiment + "?shares=A:9000,B:1000",
                TestTokens.token(tenant, "evaluation")).json().get("sampleRatio");
        assertThat(skewed.get("mismatch").asBoolean()).isTrue();
        assertProblem(get("/api/evaluation/experiments/" + experiment + "?shares=A:10000",
                TestTokens.token(tenant, "evaluation")), 400, "invalid_value");
        assertProblem(get("/api/evaluation/experiments/" + experiment + "?shares=A:60,B:40",
                TestTokens.token(tenant, "evaluation")), 400, "invalid_value");

        JsonNode rates = get("/api/evaluation/quality-rates?bucket=week", TestTokens.token(tenant, "evaluation")).json();
        assertThat(rates).singleElement().satisfies(rate -> {
            assertThat(rate.get("promptVersion").asString()).isEqualTo("grounded-answer@v1");
            assertThat(rate.get("requests").asLong()).isEqualTo(120);
            assertThat(rate.get("answeredRate").asDouble()).isEqualTo(84.0 / 120);
            assertThat(rate.get("refusalRate").asDouble()).isEqualTo(36.0 / 120);
            assertThat(rate.get("meanCostUsd").asDouble()).isCloseTo(0.00015, org.assertj.core.api.Assertions.within(1e-12));
        });
        assertProblem(get("/api/evaluation/quality-rates?bucket=minute", TestTokens.token(tenant, "evaluation")), 400,
                "invalid_value");

        assertProblem(get("/api/evaluation/experiments/unknown", TestTokens.token(tenant, "evaluation")), 404, "not_found");
        assertProblem(get("/api/evaluation/experiments/" + experiment, TestTokens.token("someone-else", "evaluation")),
                404, "not_found");
    }

    @Test
    void exportsEveryEvaluationMetricTheDashboardsAndAlertsName() throws Exception {
        String tenant = "metrics-" + UUID.randomUUID();
        ChatCompletionRecordedEvent event = CompletionEvents.answered(tenant, "sim-small").build();
        events.store(event, tenant);
        events.store(event, tenant);
        verdicts.store(new GuardrailVerdictRecordedEvent(UUID.randomUUID().toString(), java.time.Instant.now(),
                event.requestId(), tenant, "input", "default", Verdict.BLOCKED, 0.99, java.util.List.of(),
                java.util.List.of("LLM01:2025 Prompt Injection"), "blocked", 120), tenant);
        post("/api/evaluation/feedback", "{\"completionId\":\"" + event.requestId() + "\",\"rating\":\"up\"}",
                TestTokens.token(tenant, "chat"));
        String scrape = Http.get("http://127.0.0.1:" + managementPort + "/actuator/prometheus", Map.of()).body();
        java.util.List<String> ours = java.nio.file.Files.readAllLines(
                        java.nio.file.Path.of("..", "infra", "observability", "exported-metrics.txt")).stream()
                .filter(line -> line.startsWith("platform_")).toList();
        assertThat(ours).hasSizeGreaterThan(10);
        for (String name : ours) {
            assertThat(scrape).as(name).containsPattern("(?m)^" + name + "\\{");
        }
    }

    private static void assertProblem(Http.Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("type").asString()).isEqualTo("urn:genai-platform:problem:" + code);
        assertThat(reply.json().at("/error/code").asString()).isEqualTo(code);
    }

    private Http.Reply post(String path, String body, String token) {
        return Http.post("http://127.0.0.1:" + port + path, body, Http.bearer(token));
    }

    private Http.Reply get(String path, String token) {
        return Http.get("http://127.0.0.1:" + port + path, Http.bearer(token));
    }
}
