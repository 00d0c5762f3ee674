package dev.genaiplatform.launcher.scenario;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Starting, following and approving agent runs ({@code /api/agent/runs}), shared by the agent-shaped scenarios. */
final class AgentRuns {

    private static final List<String> SETTLED = List.of("WAITING_APPROVAL", "SUCCEEDED", "FAILED", "BUDGET_EXCEEDED", "DENIED", "CANCELLED");

    /** Starts a run and waits until it finishes or parks for an approval; null when the platform refused it. */
    static Gateway.Reply start(ScenarioContext context, Report report, String goal, List<String> tools, String model)
            throws Exception {
        return start(context, report, goal, tools, model, Map.of());
    }

    static Gateway.Reply start(ScenarioContext context, Report report, String goal, List<String> tools, String model,
                               Map<String, String> headers) throws Exception {
        Gateway.Reply started = context.gateway().post("/api/agent/runs", Map.of("goal", goal, "tools", tools, "model", model,
                "limits", Map.of("maxSteps", 6, "maxTokens", 20000, "maxCostUsd", 0.05, "maxWallSeconds", 60)), headers);
        if (!started.ok()) {
            report.saw("POST /api/agent/runs", started.status() + " " + ScenarioContext.problemCode(started) + ": "
                    + ScenarioContext.brief(started.at("/detail").asString(), 160));
            report.fact("agentRunStarted", false);
            return null;
        }
        report.fact("agentRunStarted", true);
        report.saw("run", started.at("/id").asString() + " (" + started.at("/mode").asString() + " mode, tools " + started.at("/tools") + ")");
        return settle(context, started.at("/id").asString());
    }

    static Gateway.Reply settle(ScenarioContext context, String runId) throws Exception {
        return context.poll("/api/agent/runs/" + runId, "/status", SETTLED, Duration.ofSeconds(60));
    }

    /** Prints the run's status, its steps in order, its usage and its answer. */
    static void show(Gateway.Reply run, Report report) {
        report.saw("status", run.at("/status").asString()
                + (run.at("/error").isMissingNode() || run.at("/error").isNull() ? "" : " " + run.at("/error")));
        for (JsonNode step : run.at("/steps")) {
            report.saw("  step " + step.path("seq").asInt(), step.path("type").asString() + " "
                    + ScenarioContext.brief(step.path("detail").toString(), 150));
        }
        report.saw("usage", run.at("/usage"));
        if (!run.at("/answer").isNull() && !run.at("/answer").isMissingNode()) {
            report.saw("answer", ScenarioContext.brief(run.at("/answer").asString(), 200));
        }
    }

    /** Approves the run's first pending approval with a reason, then waits for the run to settle again. */
    static Gateway.Reply approveFirst(ScenarioContext context, Report report, Gateway.Reply run, String reason) throws Exception {
        JsonNode approval = run.at("/approvals/0");
        report.saw("waiting for a human", approval.path("tool").asString() + " " + approval.path("arguments").asString()
                + " (approval " + approval.path("approvalId").asString() + ", expires " + approval.path("expiresAt").asString() + ")");
        Gateway.Reply decided = context.gateway().post("/api/agent/runs/" + run.at("/id").asString() + "/approvals/"
                + approval.path("approvalId").asString(), Map.of("decision", "approve", "reason", reason));
        report.saw("POST .../approvals/" + approval.path("approvalId").asString(), decided.status() + ", outcome " + decided.at("/outcome").asString(""));
        return settle(context, run.at("/id").asString());
    }

    private AgentRuns() {
    }
}
