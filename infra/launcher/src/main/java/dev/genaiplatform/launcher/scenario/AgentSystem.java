package dev.genaiplatform.launcher.scenario;

import java.util.List;
import java.util.Map;

/**
 * Salesforce: an AI agent system (loop, tool interfaces, memory, orchestration, safety). A run that plans, calls a
 * tool and answers; the same API without tools (the direct path); and a run whose tool is sensitive, parked until
 * a human approves it.
 */
final class AgentSystem implements Scenario {

    @Override
    public String name() {
        return "agent-system";
    }

    @Override
    public String question() {
        return "Architect an AI agent system: the agent loop, tool interfaces, memory, orchestration and safety.";
    }

    @Override
    public void run(ScenarioContext context, Report report) throws Exception {
        report.step("The tools this key may use, as tools-agent's policy sees them (schema, risk tier, approval)");
        Gateway.Reply tools = context.gateway().get("/api/tools");
        if (ScenarioContext.toolAnswered(tools, report)) {
            tools.json().forEach(tool -> report.saw(tool.path("name").asString(), tool.path("riskTier").asString()
                    + ", scopes " + tool.path("scopes") + (tool.path("approvalRequired").asBoolean(false) ? ", needs a human approval" : "")));
        }

        report.step("A run in loop mode: plan, call the calculator (in tools-agent, over Kafka), observe, answer");
        Gateway.Reply run = AgentRuns.start(context, report, "Use the calculator: what is (12 + 30) * 7?", List.of("calculator"), "sim-small");
        if (run != null) {
            AgentRuns.show(run, report);
            report.fact("calculatorRun", run.at("/status").asString());
        }

        report.step("The direct path: no tools, one model call (when no planning is needed, skip the loop)");
        Gateway.Reply direct = AgentRuns.start(context, report, "Explain in two sentences what an idempotency key is for.", List.of(), "sim-small");
        if (direct != null) {
            AgentRuns.show(direct, report);
        }

        report.step("A sensitive tool: send_email is held by tools-agent until a human decides (the policy, not the model)");
        Gateway.Reply mail = context.tool("send_email", Map.of("to", List.of("team@example.com"), "subject", "Release 1.4 is out",
                "body", "The release is out; notes are on the wiki."), context.unique("release-mail"));
        if (ScenarioContext.toolAnswered(mail, report)) {
            report.saw("send_email", mail.status() + " " + mail.at("/status").asString() + ", approval " + mail.at("/approvalId").asString(""));
            report.fact("emailStatus", mail.at("/status").asString());
            Gateway.Reply waiting = context.gateway().get("/api/tools/approvals");
            report.saw("GET /api/tools/approvals", waiting.json().size() + " waiting in this tenant");
            Gateway.Reply approved = context.gateway().post("/api/tools/approvals/" + mail.at("/approvalId").asString(),
                    Map.of("decision", "approve", "reason", "checked the recipients"));
            report.saw("approve", approved.status() + " " + approved.at("/decision").asString("") + " by " + approved.at("/decidedBy").asString(""));
        }

        report.step("The same tool offered to an agent run: the model's arguments are checked before anything waits or runs");
        Gateway.Reply mailRun = AgentRuns.start(context, report, "send_email to the team that the release is out", List.of("send_email"), "sim-large");
        if (mailRun != null) {
            AgentRuns.show(mailRun, report);
            if (mailRun.at("/status").asString().equals("WAITING_APPROVAL")) {
                AgentRuns.show(AgentRuns.approveFirst(context, report, mailRun, "checked the recipients"), report);
            } else {
                report.note("no approval was asked: the simulator's arguments fail send_email's schema (recipients must be "
                        + "addresses), so tools-agent refused them and the run told the model; nothing was sent");
            }
        }

        report.lookAt("steps[*].type: model call, tool call, approval, result: every step is an event, also as SSE at /api/agent/runs/{id}/events");
        report.lookAt("limits and usage: steps, tokens, cost and wall time are bounded per run");
        report.lookAt("orchestrator/src/main/java/dev/genaiplatform/orchestrator/agent/AgentLoop.java: the loop");
        report.lookAt("tools-agent/src/main/resources/tool-policy.yml: least privilege as policy, enforced by tools-agent, not by the model's service");
        report.lookAt("tools-agent/README.md: the ledger (each idempotency key runs once), approvals that survive restarts, MCP");
        report.outOfReach("long-term memory across runs (a user profile, learned preferences): runs keep their own transcript; "
                + "chat conversations have memory with summaries, agents do not share it");
    }
}
