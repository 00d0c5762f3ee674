package dev.genaiplatform.tools.api;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.tools.support.TestTokens;
import dev.genaiplatform.tools.support.ToolsAgentIT;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API behind the gateway: only a valid internal token with scope agent gets in; tenant from the token. */
class ToolsHttpIT extends ToolsAgentIT {

    private final JsonMapper json = JsonMapper.builder().build();

    private void assertProblem(HttpResponse<String> response, ProblemType type) {
        assertThat(response.statusCode()).isEqualTo(type.status());
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("application/problem+json"));
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("type").asString()).isEqualTo(type.type());
        assertThat(body.get("error").get("code").asString()).isEqualTo(type.code());
    }

    @Test
    void refusesMissingForeignExpiredAndWrongAudienceTokensAndKeysWithoutTheAgentScope() throws Exception {
        assertProblem(get("/api/tools", null), ProblemType.INVALID_INTERNAL_TOKEN);
        assertProblem(get("/api/tools", TestTokens.builder("demo", "alice").signedBy(TestTokens.STRANGER_KEY).sign()), ProblemType.INVALID_INTERNAL_TOKEN);
        assertProblem(get("/api/tools", TestTokens.builder("demo", "alice").expiresAt(Instant.now().minusSeconds(600)).sign()), ProblemType.INVALID_INTERNAL_TOKEN);
        assertProblem(get("/api/tools", TestTokens.builder("demo", "alice").audience("other").sign()), ProblemType.INVALID_INTERNAL_TOKEN);
        assertProblem(get("/api/tools", TestTokens.builder("demo", "alice").withoutTenant().sign()), ProblemType.INVALID_INTERNAL_TOKEN);
        assertProblem(get("/api/tools", TestTokens.builder("demo", "alice").scope("chat").sign()), ProblemType.INSUFFICIENT_SCOPE);
        assertProblem(post("/api/tools/calculator/invocations", "{\"expression\":\"1\"}", null, "X-Tenant-Id", "demo"),
                ProblemType.INVALID_INTERNAL_TOKEN);
    }

    @Test
    void listsToolsAsThePolicySeesThisCaller() throws Exception {
        JsonNode demo = json.readTree(get("/api/tools", TestTokens.token("demo", "alice")).body());
        JsonNode other = json.readTree(get("/api/tools", TestTokens.token("other", "olga")).body());

        JsonNode email = find(demo, "send_email");
        assertThat(email.get("riskTier").asString()).isEqualTo("SENSITIVE");
        assertThat(email.get("allowed").asBoolean()).isTrue();
        assertThat(email.get("approvalRequired").asBoolean()).isTrue();
        assertThat(email.get("inputSchema").get("required").toString()).contains("to");
        assertThat(find(other, "send_email").get("allowed").asBoolean()).isFalse();
        assertThat(find(other, "calculator").get("allowed").asBoolean()).isTrue();
    }

    @Test
    void invokesWithAnIdempotencyKeyOnceAndAnswersProblemsForBadCalls() throws Exception {
        String demo = TestTokens.token("demo", "alice");
        String key = "http-" + UUID.randomUUID();
        String meeting = "{\"title\":\"HTTP sync\",\"attendees\":[\"dana\"],\"start\":\"2027-02-01T09:00\",\"durationMinutes\":30,\"timeZone\":\"Asia/Tokyo\"}";
        var first = post("/api/tools/schedule_meeting/invocations", meeting, demo, "Idempotency-Key", key);
        var second = post("/api/tools/schedule_meeting/invocations", meeting, demo, "Idempotency-Key", key);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(json.readTree(second.body()).get("replayed").asBoolean()).isTrue();
        assertThat(json.readTree(second.body()).get("resultJson").asString()).isEqualTo(json.readTree(first.body()).get("resultJson").asString());
        assertThat(count("select count(*) from meeting where title = 'HTTP sync'")).isEqualTo(1);
        assertThat(json.readTree(get("/api/tools/calls/" + key, demo).body()).get("state").asString()).isEqualTo("COMPLETED");
        assertThat(json.readTree(get("/api/tools/calls/" + key, TestTokens.token("acme", "carol")).body()).get("state").asString()).isEqualTo("UNKNOWN");

        var pending = post("/api/tools/send_email/invocations", "{\"to\":[\"a@b.example\"],\"subject\":\"s\",\"body\":\"b\"}", demo);
        assertThat(pending.statusCode()).isEqualTo(202);
        assertThat(json.readTree(pending.body()).get("status").asString()).isEqualTo("PENDING_APPROVAL");

        assertProblem(post("/api/tools/nope/invocations", "{}", demo), ProblemType.NOT_FOUND);
        assertProblem(post("/api/tools/calculator/invocations", "{\"expression\":1}", demo), ProblemType.INVALID_VALUE);
        assertProblem(post("/api/tools/calculator/invocations", "{\"expression\":\"1/0\"}", demo), ProblemType.TOOL_FAILED);
        assertProblem(post("/api/tools/send_email/invocations", "{\"to\":[\"a@b.example\"],\"subject\":\"s\",\"body\":\"b\"}",
                TestTokens.token("other", "olga")), ProblemType.TOOL_NOT_ALLOWED);
        assertProblem(post("/api/tools/hanging_write/invocations", "{}", demo), ProblemType.UPSTREAM_TIMEOUT);
    }

    @org.springframework.boot.test.web.server.LocalManagementPort
    private int managementPort;

    @Test
    void healthIsOpenOnTheManagementPortAndAbsentFromTheApiPort() throws Exception {
        assertProblem(get("/actuator/health", null), ProblemType.INVALID_INTERNAL_TOKEN);
        var health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + managementPort + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("UP");
    }

    private static JsonNode find(JsonNode tools, String name) {
        for (JsonNode tool : tools) {
            if (tool.get("name").asString().equals(name)) {
                return tool;
            }
        }
        throw new AssertionError("no tool " + name);
    }
}
