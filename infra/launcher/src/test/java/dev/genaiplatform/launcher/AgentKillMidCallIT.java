package dev.genaiplatform.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly-once side effects when a process dies in the middle of a tool call (issue 10 item 4): the whole platform
 * from its jars, a process killed with SIGKILL (no graceful stop) while a tool call is in flight, restarted, and the
 * side effects counted in tools-agent's PostgreSQL.
 *
 * <p>"In flight" is made deterministic by tools-agent's test-only fault injection
 * {@code platform.tools.hold-before-commit}: the held tools write their side effect and then wait {@link #HOLD}
 * before they commit; the test kills a process as soon as tools-agent's ledger reports the call
 * {@code IN_PROGRESS}, which it does only while an attempt holds the row. This class starts a platform of its own
 * (the holds and the kills must not disturb the shared one of the other end-to-end classes).
 */
// before any class starts the shared platform (junit-platform.properties): never two platforms at once
@Order(1)
class AgentKillMidCallIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String DEMO_KEY = "kill-test-demo-key";
    private static final Duration HOLD = Duration.ofSeconds(15);
    /**
     * The orchestrator's wait for one reply from tools-agent: shorter than {@link #HOLD}, so a call killed mid-flight is
     * always reconciled (a redelivered call runs the whole hold again after tools-agent's restart), and every wait
     * for a tools-agent that is down (a status query, the human's approval) ends after this rather than 30 s.
     */
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(10);
    /** A restart on a busy two-core machine, Kafka's rebalance after a dead member's session, and the held tool. */
    private static final Duration RECOVERY = Duration.ofMinutes(5);

    /**
     * A consumer killed with SIGKILL never leaves its group: Kafka hands its partitions to the restarted process only
     * when its session expires (45 s by default), so a restarted service waited out most of that before it read what
     * was sent while it was down (the approval decided, the redelivered command). 10 s (the broker's minimum is 6 s)
     * keeps a JVM pausing on busy cores from being taken for dead. For both services since wave 12: tools-agent's
     * 45 s used to be what made the orchestrator's tool timeout fire before a redelivered command was answered (with
     * 10 s a quick restart answered in time and the reconciliation the kill test asserts did not happen, 2026-12-07);
     * now the tool timeout is below {@link #HOLD}, so no answer can come in time whatever the restart takes.
     */
    private static final String SESSION_TIMEOUT = "--spring.kafka.consumer.properties.session.timeout.ms=10000";
    private static final String HEARTBEAT_INTERVAL = "--spring.kafka.consumer.properties.heartbeat.interval.ms=3000";

    private static LauncherSettings settings;
    private static Platform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        settings = RunningPlatform.freshSettings("platform-kill-data-", DEMO_KEY, "0.1",
                simulatorPort -> Map.of("SIM_TIME_TO_FIRST_TOKEN_MS", "0", "SIM_INTER_TOKEN_MS", "0",
                        // the internal token lives as long as the gateway waits for a backend (plus a minute): long
                        // enough for a command redelivered after a restart to still carry a valid token
                        "GATEWAY_RESPONSE_TIMEOUT", "300s",
                        // the model is instant, but a JVM restarting next to it on two busy cores is not
                        "LLM_FIRST_TOKEN_TIMEOUT", "30s"),
                Map.of("tools-agent", List.of(
                                SESSION_TIMEOUT, HEARTBEAT_INTERVAL,
                                "--platform.tools.timeout=120s",
                                "--platform.tools.hold-before-commit.[calculator]=" + HOLD.toSeconds() + "s",
                                "--platform.tools.hold-before-commit.[submit_claim]=" + HOLD.toSeconds() + "s"),
                        "orchestrator", List.of(
                                SESSION_TIMEOUT, HEARTBEAT_INTERVAL,
                                "--platform.orchestrator.agent.tool-timeout=" + TOOL_TIMEOUT.toSeconds() + "s",
                                // enough reconciliations to outlast tools-agent's restart
                                "--platform.orchestrator.agent.reconcile-attempts=40",
                                "--platform.orchestrator.agent.reconcile-backoff=2s",
                                "--platform.orchestrator.agent.recovery.heartbeat-interval=2s",
                                "--platform.orchestrator.agent.recovery.stale-after=10s")));
        // an agent run's path only: no retrieval (the heaviest start, and its indexing competes with every restart
        // here for the two cores) and no evaluation; nothing these runs do reaches either
        platform = Platform.start(settings, line -> System.out.println("[kill] " + line),
                service -> !service.equals("retrieval") && !service.equals("evaluation"));
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

    /** A failed test must not leave the next one without a service. */
    @AfterEach
    void everyServiceRuns() throws Exception {
        for (String name : List.of("tools-agent", "orchestrator")) {
            if (!platform.running(name)) {
                platform.restart(name);
            }
        }
    }

    @Test
    void killingTheOrchestratorWhileAnApprovedClaimRunsSubmitsItOnceAndTheRunCompletesAfterTheRestart() throws Exception {
        String policy = policyNumber();
        Parked parked = parkClaim(policy);

        CompletableFuture<HttpResponse<String>> approving = approveInBackground(parked);
        awaitInFlight(parked.key());
        platform.kill("orchestrator");
        assertThat(claims(policy)).as("killed while the claim was written but not committed").isZero();

        platform.restart("orchestrator");
        approving.handle((response, failure) -> null).join();

        // the decision event tools-agent published while no orchestrator ran resumes the run after the restart
        JsonNode run = awaitEnd(parked.runId(), "WAITING_APPROVAL");
        assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.path("steps").toString()).contains("approval.decided", "run.resumed", "SUBMITTED");
        assertThat(claims(policy)).as("exactly one claim").isEqualTo(1);
        assertThat(ledger(parked.key())).isEqualTo(new Ledger("COMPLETED", "SUCCEEDED", 1));
    }

    @Test
    void killingToolsAgentWhileAnApprovedClaimRunsRollsItBackAndTheRecordedApprovalSubmitsItOnceAfterTheRestart()
            throws Exception {
        String policy = policyNumber();
        Parked parked = parkClaim(policy);

        CompletableFuture<HttpResponse<String>> approving = approveInBackground(parked);
        awaitInFlight(parked.key());
        platform.kill("tools-agent");
        assertThat(claims(policy)).as("the killed attempt rolled back").isZero();
        assertThat(ledger(parked.key()).state()).as("the approval itself was recorded before the tool ran")
                .isEqualTo("APPROVED");
        // the human's request cannot wait for a restart: it ends (an error) while tools-agent is down
        HttpResponse<String> approval = approving.join();
        assertThat(approval.statusCode()).as(approval.body()).isGreaterThanOrEqualTo(500);

        platform.restart("tools-agent");

        // the redelivered decision (or the sweep) runs the recorded approval once; its event resumes the run
        JsonNode run = awaitEnd(parked.runId(), "WAITING_APPROVAL");
        assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(claims(policy)).as("exactly one claim").isEqualTo(1);
        assertThat(ledger(parked.key())).isEqualTo(new Ledger("COMPLETED", "SUCCEEDED", 1));
    }

    @Test
    void killingToolsAgentMidCallMakesTheOrchestratorReconcileAndTheSameKeyRunsOnceAfterTheRestart() throws Exception {
        String runId = startRun("Use the calculator: what is 12 * 7?", "calculator");
        String key = awaitToolCallKey(runId);
        awaitInFlight(key);
        platform.kill("tools-agent");
        assertThat(ledger(key)).as("the killed attempt rolled back: nothing executed")
                .isEqualTo(new Ledger("RECEIVED", null, 0));

        platform.restart("tools-agent");

        JsonNode run = awaitEnd(runId);
        assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.path("answer").asString()).contains("84");
        assertThat(run.path("steps").toString()).as("the orchestrator asked before it resent")
                .contains("tool.reconciled");
        assertThat(ledger(key)).as("one execution under the one key").isEqualTo(new Ledger("COMPLETED", "SUCCEEDED", 1));
    }

    @Test
    void killingTheOrchestratorMidCallEndsTheRunInterruptedNamingTheCallWhichRanOnce() throws Exception {
        String runId = startRun("Use the calculator: what is 6 * 7?", "calculator");
        String key = awaitToolCallKey(runId);
        awaitInFlight(key);
        platform.kill("orchestrator");

        // tools-agent finishes the call nobody waits for any more; the ledger records it once
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(500))
                .until(() -> ledger(key), ledger -> "COMPLETED".equals(ledger.state()));
        platform.restart("orchestrator");

        JsonNode run = awaitEnd(runId);
        assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("FAILED");
        assertThat(run.path("error").path("code").asString()).isEqualTo("interrupted");
        assertThat(run.path("error").path("message").asString()).as("the run names the call that was in flight")
                .contains(key);
        // its real outcome, read where the run points: tools-agent's ledger, through the gateway
        HttpResponse<String> status = send("GET", "/api/tools/calls/" + key, null);
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        assertThat(JSON.readTree(status.body()).path("state").asString()).isEqualTo("COMPLETED");
        assertThat(status.body()).contains("42");
        assertThat(ledger(key)).as("ran once, never resent").isEqualTo(new Ledger("COMPLETED", "SUCCEEDED", 1));
    }

    // ---- steps ------------------------------------------------------------------------------------

    private record Parked(String runId, String approvalId, String key) {
    }

    private record Ledger(String state, String status, int executions) {
    }

    /** A claim run parked for a human: the policy holds sensitive tools until someone approves. */
    private static Parked parkClaim(String policy) throws Exception {
        String runId = startRun("Use submit_claim for policy " + policy + ": a pipe burst on 2026-11-03 and flooded "
                + "the kitchen. Claimed amount: 1250", "submit_claim");
        JsonNode parked = awaitEnd(runId);
        assertThat(parked.path("status").asString()).as(parked.toString()).isEqualTo("WAITING_APPROVAL");
        String approvalId = parked.path("approvals").get(0).path("approvalId").asString();
        String key = step(parked, "tool.called").path("detail").path("idempotencyKey").asString();
        return new Parked(runId, approvalId, key);
    }

    private static CompletableFuture<HttpResponse<String>> approveInBackground(Parked parked) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return send("POST", "/api/agent/runs/" + parked.runId() + "/approvals/" + parked.approvalId(),
                        Map.of("decision", "approve", "reason", "receipt checked"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String startRun(String goal, String tool) throws Exception {
        // a 503 ("did not answer in time, retry shortly": guardrails or tools-agent on a machine at load 30 just after
        // a restart) is retried as a client would; nothing was started by it
        HttpResponse<String> started = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2))
                .until(() -> send("POST", "/api/agent/runs", Map.of("goal", goal, "tools", List.of(tool),
                        "model", "sim-small", "limits", Map.of("maxWallSeconds", 600))),
                        response -> response.statusCode() != 503);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        return JSON.readTree(started.body()).path("id").asString();
    }

    /** The key the loop sends the model's first tool call with: {@code <runId>:<stepId>:<toolCallId>}. */
    private static String awaitToolCallKey(String runId) {
        JsonNode call = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    for (JsonNode step : run(runId).path("steps")) {
                        JsonNode calls = step.path("detail").path("toolCalls");
                        if ("model.called".equals(step.path("type").asString()) && !calls.isEmpty()) {
                            return step;
                        }
                    }
                    return null;
                }, found -> found != null);
        return runId + ":" + call.path("stepId").asString() + ":"
                + call.path("detail").path("toolCalls").get(0).path("id").asString();
    }

    /** Until tools-agent's ledger says an attempt holds the call's row: it is running, its side effect uncommitted. */
    private static void awaitInFlight(String key) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> JSON.readTree(send("GET", "/api/tools/calls/" + key, null).body()).path("state")
                        .asString(), "IN_PROGRESS"::equals);
    }

    /** Until the run is in none of the working states, nor in any of {@code alsoWaitingOut}. */
    private static JsonNode awaitEnd(String runId, String... alsoWaitingOut) {
        List<String> working = new java.util.ArrayList<>(List.of("RUNNING", "PENDING", ""));
        working.addAll(List.of(alsoWaitingOut));
        return await().atMost(RECOVERY).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> run(runId), run -> !working.contains(run.path("status").asString()));
    }

    private static JsonNode run(String runId) throws Exception {
        HttpResponse<String> response = send("GET", "/api/agent/runs/" + runId, null);
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : JSON.createObjectNode();
    }

    private static JsonNode step(JsonNode run, String type) {
        for (JsonNode step : run.path("steps")) {
            if (type.equals(step.path("type").asString())) {
                return step;
            }
        }
        throw new AssertionError("no step " + type + " in " + run);
    }

    private static HttpResponse<String> send(String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + settings.gatewayPort() + path))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + DEMO_KEY)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- counting in tools-agent's database ----------------------------------------------------------

    private static String policyNumber() {
        return "HO-" + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
    }

    private static int claims(String policy) throws Exception {
        try (Connection db = toolsAgentDatabase();
             PreparedStatement query = db.prepareStatement("select count(*) from insurance_claim where policy_number = ?")) {
            query.setString(1, policy);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static Ledger ledger(String key) throws Exception {
        try (Connection db = toolsAgentDatabase();
             PreparedStatement query = db.prepareStatement(
                     "select state, status, executions from tool_call where idempotency_key = ?")) {
            query.setString(1, key);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).as("a ledger row for " + key).isTrue();
                Ledger ledger = new Ledger(rows.getString(1), rows.getString(2), rows.getInt(3));
                assertThat(rows.next()).as("one ledger row per key").isFalse();
                return ledger;
            }
        }
    }

    private static Connection toolsAgentDatabase() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + settings.postgresPort() + "/tools_agent",
                "tools_agent", platform.secrets().postgresPassword("tools_agent"));
    }
}
