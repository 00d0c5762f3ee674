package dev.genaiplatform.launcher.scenario;

import java.util.List;

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
            tools.json().forEach(tool -> report.saw(tool.path("name").asString(), tool.path("tier").asString()
                    + (tool.path("approvalRequired").asBoolean(false) ? ", needs approval" : "")));
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

        report.step("A sensitive tool: send_email parks the run until a human decides");
        Gateway.Reply mail = AgentRuns.start(context, report, "send_email to the team that the release is out", List.of("send_email"), "sim-large");
        if (mail != null) {
            AgentRuns.show(mail, report);
            report.fact("emailRun", mail.at("/status").asString());
            if (mail.at("/status").asString().equals("WAITING_APPROVAL")) {
                AgentRuns.show(AgentRuns.approveFirst(context, report, mail, "checked the recipients"), report);
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
