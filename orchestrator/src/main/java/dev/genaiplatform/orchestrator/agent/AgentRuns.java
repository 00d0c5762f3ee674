package dev.genaiplatform.orchestrator.agent;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.orchestrator.messaging.DependencyUnavailableException;
import dev.genaiplatform.contracts.tools.DecideToolApprovalCommand;
import dev.genaiplatform.contracts.tools.ToolApprovalDecidedEvent;
import dev.genaiplatform.contracts.tools.ToolInvokedReply;
import dev.genaiplatform.orchestrator.provider.ChatProviders;
import dev.genaiplatform.orchestrator.routing.ModelRouter;
import dev.genaiplatform.orchestrator.security.Caller;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the agent API does: start a run (check the tools with tools-agent, the model with the key, the limits
 * against the caps), read it, cancel it, and take a human's decision on a parked call to tools-agent and, once
 * it is recorded there, resume the run with the approver's token.
 */
class AgentRuns {

    private final AgentRunStore store;
    private final AgentLoop loop;
    private final RunSteps steps;
    private final ToolCatalog catalog;
    private final ToolCalls tools;
    private final ChatProviders providers;
    private final ModelRouter router;
    private final AgentSettings settings;
    private final String systemPrompt;

    private final GoalCheck goalCheck;

    AgentRuns(AgentRunStore store, AgentLoop loop, RunSteps steps, ToolCatalog catalog, ToolCalls tools,
              ChatProviders providers, ModelRouter router, AgentSettings settings, String systemPrompt,
              GoalCheck goalCheck) {
        this.goalCheck = goalCheck;
        this.store = store;
        this.loop = loop;
        this.steps = steps;
        this.catalog = catalog;
        this.tools = tools;
        this.providers = providers;
        this.router = router;
        this.settings = settings;
        this.systemPrompt = systemPrompt;
    }

    AgentRun start(Caller caller, RunToken token, AgentRunRequest request) {
        if (request.goal() == null || request.goal().isBlank()) {
            throw new AgentException(ProblemType.MISSING_REQUIRED_PARAMETER, "A run needs a goal.", "goal");
        }
        List<dev.genaiplatform.contracts.guardrails.ChatMessage> conversation = new ArrayList<>();
        for (AgentRunRequest.Message message : request.messages() == null ? List.<AgentRunRequest.Message>of()
                : request.messages()) {
            if (!"user".equals(message.role()) && !"assistant".equals(message.role())) {
                throw new AgentException(ProblemType.INVALID_VALUE, "A conversation message's role is 'user' or "
                        + "'assistant'.", "messages");
            }
            conversation.add(new dev.genaiplatform.contracts.guardrails.ChatMessage(message.role(), message.content()));
        }
        String model = model(caller, request.model());
        AgentRun.Budget budget = budget(request.limits());
        // guardrails before anything leaves this service: a blocked goal starts nothing (not even a call to
        // tools-agent); a masked one reaches the model masked
        // the run id names its pseudonym vault: pseudonyms in tool calls are restored from it
        String runId = UUID.randomUUID().toString();
        List<dev.genaiplatform.contracts.guardrails.ChatMessage> checkedConversation =
                this.goalCheck.check(caller, conversation, request.goal(), runId);
        List<String> names = request.tools() == null ? List.of() : request.tools().stream().distinct().toList();
        List<AgentRun.ToolSpec> offered = new ArrayList<>();
        if (!names.isEmpty()) {
            Map<String, ToolCatalog.Listed> listed = this.catalog.list(caller.token());
            for (String name : names) {
                ToolCatalog.Listed tool = listed.get(name);
                if (tool == null) {
                    throw new AgentException(ProblemType.INVALID_VALUE, "Unknown tool '" + name + "'. Tools: "
                            + listed.keySet(), "tools");
                }
                if (!tool.allowed()) {
                    throw new AgentException(ProblemType.TOOL_NOT_ALLOWED, "The policy does not let this key call '"
                            + name + "'.", "tools");
                }
                offered.add(tool.spec());
            }
        }
        Transcript transcript = new Transcript(List.of(Transcript.Turn.of("system", this.systemPrompt)));
        for (dev.genaiplatform.contracts.guardrails.ChatMessage checked : checkedConversation) {
            transcript = transcript.with(Transcript.Turn.of(checked.role(), checked.content()));
        }
        Instant now = Instant.now();
        AgentRun run = new AgentRun(runId, caller.tenantId(),
                caller.userId() != null ? caller.userId() : caller.keyId(), request.goal(), model, offered,
                transcript, budget, RunStatus.RUNNING, null, null, null, 0, 0, BigDecimal.ZERO, 0, now, now);
        this.store.create(run);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("model", model);
        detail.put("tools", offered.stream().map(AgentRun.ToolSpec::name).toList());
        detail.put("mode", offered.isEmpty() ? "direct" : "loop");
        detail.put("limits", budget);
        this.steps.record(run.id(), StepType.RUN_STARTED, null, detail);
        this.loop.launch(run.id(), token);
        return run;
    }

    AgentRun get(Caller caller, String runId) {
        return this.store.find(runId, caller.tenantId())
                .orElseThrow(() -> new AgentException(ProblemType.NOT_FOUND, "No run '" + runId + "'.", "id"));
    }

    List<RunStep> steps(String runId, long afterSeq) {
        return this.store.steps(runId, afterSeq);
    }

    List<PendingApproval> approvals(String runId) {
        return this.store.approvals(runId);
    }

    AgentRun cancel(Caller caller, String runId) {
        AgentRun run = get(caller, runId);
        boolean cancelled = this.store.inTransaction(() -> {
            if (!this.store.transition(runId, List.of(RunStatus.RUNNING, RunStatus.WAITING_APPROVAL),
                    RunStatus.CANCELLED, "cancelled", "Cancelled by " + who(caller) + ".", null)) {
                return false;
            }
            this.store.cancelApprovals(runId);
            this.steps.record(runId, StepType.RUN_CANCELLED, null, Map.of("status", "CANCELLED", "by", who(caller)));
            return true;
        });
        if (!cancelled) {
            throw new AgentException(ProblemType.CONFLICT, "The run already ended (" + get(caller, runId).status()
                    + ").", null);
        }
        return get(caller, run.id());
    }

    /**
     * Forwards a human's decision to tools-agent with the approver's own token (tools-agent refuses the token the
     * run acts with), then resumes the run from the recorded outcome.
     */
    ToolApprovalDecidedEvent decide(Caller approver, RunToken approverToken, String runId, String approvalId, String decision, String reason) {
        AgentRun run = get(approver, runId);
        PendingApproval approval = this.store.approval(approvalId)
                .filter(found -> found.runId().equals(run.id()))
                .orElseThrow(() -> new AgentException(ProblemType.NOT_FOUND, "No approval '" + approvalId
                        + "' in run '" + runId + "'.", "approvalId"));
        DecideToolApprovalCommand.Decision parsed = switch (decision == null ? "" : decision.trim().toLowerCase()) {
            case "approve" -> DecideToolApprovalCommand.Decision.APPROVE;
            case "deny" -> DecideToolApprovalCommand.Decision.DENY;
            default -> throw new AgentException(ProblemType.INVALID_VALUE, "decision is 'approve' or 'deny'.",
                    "decision");
        };
        if (!"PENDING".equals(approval.status()) || run.status() != RunStatus.WAITING_APPROVAL) {
            throw new AgentException(ProblemType.CONFLICT, "Approval '" + approvalId + "' was already decided ("
                    + approval.status() + "); the run is " + run.status() + ".", "approvalId");
        }
        ToolApprovalDecidedEvent decided = this.tools.decide(approver.token(), approver.tenantId(),
                new DecideToolApprovalCommand(approver.requestId(), approvalId, parsed, reason));
        if (!decided.accepted()) {
            throw new AgentException(ProblemType.CONFLICT, "tools-agent did not accept the decision: "
                    + decided.message(), "approvalId");
        }
        resume(decided, approverToken, "api");
        return decided;
    }

    /**
     * Takes a recorded decision (from the HTTP reply or the {@code tools.approval-decided.v1} event, whichever comes
     * first; the other changes nothing) and ends or resumes the run. False when it was not this instance's to take.
     */
    boolean resume(ToolApprovalDecidedEvent decided, RunToken token, String via) {
        PendingApproval approval = this.store.approval(decided.approvalId()).orElse(null);
        if (approval == null || decided.outcome() == null || !isFinal(decided.outcome().status())) {
            // no outcome yet (the approved call still runs): the event that carries it will resume the run
            return false;
        }
        ToolInvokedReply outcome = decided.outcome();
        String status = switch (outcome.status()) {
            case APPROVAL_DENIED -> "DENIED";
            case APPROVAL_EXPIRED -> "EXPIRED";
            default -> "APPROVED";
        };
        if (!this.store.decide(approval.approvalId(), status, decided.decidedBy(), decided.reason())) {
            return false;
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("approvalId", approval.approvalId());
        detail.put("tool", approval.toolName());
        detail.put("decision", status);
        detail.put("decidedBy", String.valueOf(decided.decidedBy()));
        detail.put("reason", String.valueOf(decided.reason()));
        detail.put("status", outcome.status().name());
        detail.put("via", via);
        this.steps.record(approval.runId(), StepType.APPROVAL_DECIDED, approval.stepId(), detail);
        List<RunStatus> parked = List.of(RunStatus.WAITING_APPROVAL);
        if ("DENIED".equals(status) || "EXPIRED".equals(status)) {
            RunStatus end = "DENIED".equals(status) ? RunStatus.DENIED : RunStatus.FAILED;
            String code = "DENIED".equals(status) ? "approval_denied" : "approval_expired";
            String message = "DENIED".equals(status)
                    ? "Tool call '" + approval.toolName() + "' was denied by " + decided.decidedBy() + ": " + decided.reason()
                    : "Nobody decided on tool call '" + approval.toolName() + "' before its approval expired.";
            this.store.inTransaction(() -> {
                if (this.store.transition(approval.runId(), parked, end, code, message, null)) {
                    this.steps.record(approval.runId(), StepType.finalFor(end), null,
                            Map.of("status", end.name(), "error", Map.of("code", code, "message", message)));
                }
                return null;
            });
            return true;
        }
        AgentRun run = this.store.find(approval.runId()).orElseThrow();
        Transcript transcript = run.transcript().with(new Transcript.Turn("tool", observed(run, token, approval,
                outcome), List.of(), approval.toolCallId(), approval.toolName()));
        if (!this.store.transition(run.id(), parked, RunStatus.RUNNING, null, null, null)) {
            return true;
        }
        this.store.saveProgress(run.id(), transcript, run.stepsUsed(), run.tokensUsed(), run.costUsd(),
                run.wallUsedMs());
        this.steps.record(run.id(), StepType.RUN_RESUMED, approval.stepId(), Map.of("approvalId",
                approval.approvalId(), "status", "RUNNING", "actingAs", String.valueOf(decided.decidedBy())));
        this.loop.launch(run.id(), token);
        return true;
    }

    /** Statuses that are not the tool's answer yet, and must never reach the model as if they were. */
    private static boolean isFinal(ToolInvokedReply.Status status) {
        return status != ToolInvokedReply.Status.PENDING_APPROVAL && status != ToolInvokedReply.Status.IN_PROGRESS;
    }

    /**
     * The approved call's result as the model may read it: values restored from the run's pseudonym vault for the
     * tool are turned back into their pseudonyms. If guardrails cannot say which values those are, the result is
     * withheld from the model rather than shown unmasked.
     */
    private String observed(AgentRun run, RunToken token, PendingApproval approval, ToolInvokedReply outcome) {
        String content = AgentLoop.toolContent(outcome);
        Transcript.Call call = run.transcript().turns().stream()
                .flatMap(turn -> turn.toolCalls().stream())
                .filter(candidate -> approval.toolCallId().equals(candidate.id()))
                .findFirst().orElse(null);
        if (call == null) {
            return content;
        }
        try {
            return this.loop.restore(run, token.value(), run.id() + "/" + approval.stepId() + "/resume", call)
                    .pseudonymise(content);
        }
        catch (DependencyUnavailableException noVault) {
            return "{\"status\":\"" + outcome.status().name() + "\",\"note\":\"The tool ran; its result is withheld "
                    + "because guardrails could not be asked to mask the values it may contain.\"}";
        }
    }

    private String model(Caller caller, String requested) {
        String name = requested == null || requested.isBlank() ? this.router.settings().routeName() : requested;
        if (!caller.mayUse(name)) {
            // the chat API's answer for the same mistake (and the gateway's): not found, whether or not it exists
            throw new AgentException(ProblemType.MODEL_NOT_FOUND,
                    "The model '" + name + "' does not exist or you do not have access to it.", "model");
        }
        // auto: plans with tools need the stronger model; the small one is for single direct answers
        String resolved = this.router.isRouteName(name) ? this.router.settings().largeModel() : name;
        if (!this.providers.serves(resolved)) {
            throw new AgentException(ProblemType.MODEL_NOT_FOUND, "The model '" + name + "' does not exist.",
                    "model");
        }
        return resolved;
    }

    private AgentRun.Budget budget(AgentRunRequest.Limits limits) {
        AgentRunRequest.Limits given = limits == null ? new AgentRunRequest.Limits(null, null, null, null) : limits;
        int steps = given.maxSteps() == null ? this.settings.defaultMaxSteps() : given.maxSteps();
        int tokens = given.maxTokens() == null ? this.settings.defaultMaxTokens() : given.maxTokens();
        BigDecimal cost = given.maxCostUsd() == null ? this.settings.defaultMaxCostUsd() : given.maxCostUsd();
        long wallMs = given.maxWallSeconds() == null ? this.settings.defaultMaxWallTime().toMillis()
                : given.maxWallSeconds() * 1000L;
        if (steps < 1 || steps > this.settings.maxStepsCap()) {
            throw new AgentException(ProblemType.INVALID_VALUE, "limits.maxSteps is between 1 and "
                    + this.settings.maxStepsCap() + ".", "limits.maxSteps");
        }
        if (tokens < 1) {
            throw new AgentException(ProblemType.INVALID_VALUE, "limits.maxTokens is at least 1.", "limits.maxTokens");
        }
        if (cost.signum() <= 0) {
            throw new AgentException(ProblemType.INVALID_VALUE, "limits.maxCostUsd is above 0.", "limits.maxCostUsd");
        }
        if (wallMs < 1000 || wallMs > this.settings.maxWallTimeCap().toMillis()) {
            throw new AgentException(ProblemType.INVALID_VALUE, "limits.maxWallSeconds is between 1 and "
                    + this.settings.maxWallTimeCap().toSeconds() + ".", "limits.maxWallSeconds");
        }
        return new AgentRun.Budget(steps, tokens, cost, wallMs);
    }

    private static String who(Caller caller) {
        return caller.userId() != null ? caller.userId() : caller.keyId();
    }
}
