package dev.genaiplatform.orchestrator.agent;

import dev.genaiplatform.contracts.tools.InstructionSource;
import dev.genaiplatform.contracts.tools.InvokeToolCommand;
import dev.genaiplatform.contracts.tools.ToolCallStatusReport;
import dev.genaiplatform.contracts.tools.ToolInvokedReply;
import dev.genaiplatform.orchestrator.budget.PriceTable;
import dev.genaiplatform.orchestrator.messaging.DependencyUnavailableException;
import dev.genaiplatform.orchestrator.provider.ChatProviders;
import dev.genaiplatform.orchestrator.provider.ModelRequest;
import dev.genaiplatform.orchestrator.resilience.ResilientModelCalls;
import io.micrometer.observation.Observation;
import org.springframework.ai.chat.messages.Message;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.tool.definition.DefaultToolDefinition;
import org.springframework.ai.tool.definition.ToolDefinition;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Plan, act, observe: the model is called with the run's transcript and the tools offered as definitions; each
 * tool call it makes is sent to tools-agent over Kafka (never executed here); each result goes back into the
 * transcript; until the model answers without a tool call, a limit is reached, a human is needed, or the run is
 * cancelled. The state after every step is in PostgreSQL, so a parked run resumes in any process.
 *
 * <p>With no tools the same loop is the direct path: one model call, one step.
 */
class AgentLoop {

    private static final Logger log = LoggerFactory.getLogger(AgentLoop.class);
    private static final int EXCERPT = 300;

    private final AgentRunStore store;
    private final RunSteps steps;
    private final ToolCalls tools;
    private final ChatProviders providers;
    private final ResilientModelCalls modelCalls;
    private final PriceTable prices;
    private final AgentSettings settings;
    private final ExecutorService executor;
    private final ToolArgumentPseudonyms pseudonyms;
    private final java.util.Set<String> active = java.util.concurrent.ConcurrentHashMap.newKeySet();

    AgentLoop(AgentRunStore store, RunSteps steps, ToolCalls tools, ChatProviders providers,
              ResilientModelCalls modelCalls, PriceTable prices, AgentSettings settings, ExecutorService executor,
              ToolArgumentPseudonyms pseudonyms) {
        this.store = store;
        this.steps = steps;
        this.tools = tools;
        this.providers = providers;
        this.modelCalls = modelCalls;
        this.prices = prices;
        this.settings = settings;
        this.executor = executor;
        this.pseudonyms = pseudonyms;
    }

    /** Drives a run on a virtual thread of its own until it ends or parks. */
    void launch(String runId, RunToken token) {
        this.active.add(runId);
        this.executor.execute(() -> {
            try {
                drive(runId, token);
            }
            finally {
                this.active.remove(runId);
            }
        });
    }

    /** The runs this instance is working on right now (their heartbeats say they are alive). */
    java.util.Set<String> activeRuns() {
        return java.util.Set.copyOf(this.active);
    }

    /** What acting on one tool call led to. */
    sealed interface Outcome {
    }

    /** The tool answered (or failed in a way the model should see): a tool turn for the transcript. */
    record Answered(String content) implements Outcome {
    }

    /** tools-agent parked the call for a human. */
    record Parked(PendingApproval approval) implements Outcome {
    }

    /** The run cannot go on. */
    record Ended(RunStatus status, String code, String message) implements Outcome {
    }

    void drive(String runId, RunToken token) {
        long stretchStart = System.nanoTime();
        AgentRun run = this.store.find(runId).orElseThrow();
        Progress progress = new Progress(run.transcript(), run.stepsUsed(), run.tokensUsed(), run.costUsd(),
                run.wallUsedMs(), stretchStart);
        try {
            while (true) {
                for (Transcript.Call call : progress.transcript.unansweredCalls()) {
                    if (cancelled(runId)) {
                        return;
                    }
                    if (token.expired()) {
                        end(run, progress, new Ended(RunStatus.FAILED, "token_expired", "The token this run acts "
                                + "with expired before tool '" + call.name() + "' could be called; start a new run."));
                        return;
                    }
                    Outcome outcome = act(run, token, progress.transcript, call);
                    switch (outcome) {
                        case Answered answered -> {
                            progress.transcript = progress.transcript.with(new Transcript.Turn("tool",
                                    answered.content(), List.of(), call.id(), call.name()));
                            save(runId, progress);
                        }
                        case Parked parked -> {
                            if (this.store.park(parked.approval(), progress.transcript, progress.wallMs())) {
                                log.info("Run {} waits for approval {} of tool {}", runId,
                                        parked.approval().approvalId(), call.name());
                            }
                            return;
                        }
                        case Ended ended -> {
                            end(run, progress, ended);
                            return;
                        }
                    }
                }
                if (cancelled(runId)) {
                    return;
                }
                String exceeded = run.budget().exceeded(progress.steps, progress.tokens, progress.cost,
                        progress.wallMs());
                if (exceeded != null) {
                    end(run, progress, new Ended(RunStatus.BUDGET_EXCEEDED, "budget_exceeded",
                            "The run stopped before its goal: " + exceeded + "."));
                    return;
                }
                AssistantMessage answer = think(run, progress);
                if (!answer.hasToolCalls()) {
                    save(runId, progress);
                    finish(run, progress, RunStatus.SUCCEEDED, null, null, answer.getText(),
                            forTheUser(run, token, answer.getText()));
                    return;
                }
                String stepId = "step-" + progress.steps;
                List<Transcript.Call> calls = answer.getToolCalls().stream()
                        .map(call -> new Transcript.Call(call.id(), call.name(), call.arguments(), stepId))
                        .toList();
                progress.transcript = progress.transcript.with(new Transcript.Turn("assistant", answer.getText(),
                        calls, null, null));
                save(runId, progress);
            }
        }
        catch (RuntimeException ex) {
            log.warn("Run {} failed: {}", runId, ex.toString());
            boolean model = ex instanceof ModelStepException;
            end(run, progress, new Ended(RunStatus.FAILED, model ? "model_failed" : "internal_error",
                    model ? ex.getMessage() : "The run failed unexpectedly: " + ex.getClass().getSimpleName()));
        }
    }

    /** One model call: the plan (tool calls) or the answer. */
    private AssistantMessage think(AgentRun run, Progress progress) {
        progress.steps++;
        String stepId = "step-" + progress.steps;
        Observation span = this.steps.start(run.id(), StepType.MODEL_CALLED, stepId);
        ChatResponse response;
        ChatProviders.ResolvedModel model = this.providers.resolve(run.model());
        List<String> attempts = new ArrayList<>();
        try {
            List<ToolDefinition> offered = run.tools().stream()
                    .<ToolDefinition>map(tool -> new DefaultToolDefinition(tool.name(), tool.description(),
                            tool.inputSchema()))
                    .toList();
            ModelRequest request = new ModelRequest(null, null, null, null, List.of(), null, run.createdBy(), offered,
                    offered.isEmpty() ? null : "auto", null, null);
            List<Message> messages = progress.transcript.messages();
            // the chat flow's resilience layer: circuit breaker, bulkhead, timeouts, retries; a whole answer, so a
            // failed attempt leaves nothing behind. The deadline is what is left of the run's wall-time budget.
            Instant deadline = Instant.now().plusMillis(Math.max(1000,
                    run.budget().maxWallMs() - progress.wallMs()));
            response = this.modelCalls.stream(List.of(model), option -> Mono.fromCallable(() -> option.provider()
                                    .prompt(option.modelId(), messages, request, false).call().chatResponse())
                            .subscribeOn(Schedulers.boundedElastic()).flux(),
                    true, deadline, () -> false, (option, outcome) -> attempts.add(option.name() + ":" + outcome))
                    .blockLast();
        }
        catch (RuntimeException ex) {
            span.error(ex);
            this.steps.finish(span, run.id(), StepType.MODEL_CALLED, stepId,
                    Map.of("model", run.model(), "status", "FAILED", "error", String.valueOf(ex.getMessage()),
                            "attempts", attempts), 0,
                    BigDecimal.ZERO);
            throw new ModelStepException("The model failed at " + stepId + ": " + ex.getMessage(), ex);
        }
        if (response == null || response.getResult() == null) {
            throw new ModelStepException("The model sent no answer at " + stepId, null);
        }
        Usage usage = response.getMetadata().getUsage();
        int promptTokens = usage == null || usage.getPromptTokens() == null ? 0 : usage.getPromptTokens();
        int completionTokens = usage == null || usage.getCompletionTokens() == null ? 0 : usage.getCompletionTokens();
        Double price = this.prices.costUsd(run.model(), promptTokens, completionTokens);
        // to the stored precision (numeric 14,8): no binary-fraction noise in sums and messages
        BigDecimal cost = price == null ? BigDecimal.ZERO : BigDecimal.valueOf(price).setScale(8, RoundingMode.HALF_UP);
        progress.tokens += promptTokens + completionTokens;
        progress.cost = progress.cost.add(cost);
        AssistantMessage output = response.getResult().getOutput();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("model", run.model());
        detail.put("status", "SUCCEEDED");
        detail.put("promptTokens", promptTokens);
        detail.put("completionTokens", completionTokens);
        detail.put("attempts", attempts);
        detail.put("toolCalls", output.getToolCalls().stream()
                .map(call -> Map.of("id", call.id(), "name", call.name(), "arguments", call.arguments())).toList());
        if (!output.hasToolCalls()) {
            detail.put("answer", output.getText());
        }
        this.steps.finish(span, run.id(), StepType.MODEL_CALLED, stepId, detail, promptTokens + completionTokens, cost);
        return output;
    }

    /** One tool call, sent to tools-agent with a key that makes every resend of it the same call. */
    private Outcome act(AgentRun run, RunToken token, Transcript transcript, Transcript.Call call) {
        if (run.tools().stream().noneMatch(tool -> tool.name().equals(call.name()))) {
            this.steps.record(run.id(), StepType.TOOL_REFUSED, call.stepId(), Map.of("tool", call.name(),
                    "toolCallId", call.id(), "status", "NOT_OFFERED"));
            return new Answered("{\"status\":\"UNKNOWN_TOOL\",\"error\":\"Tool '" + call.name()
                    + "' is not offered to this run. Use one of: " + run.tools().stream().map(AgentRun.ToolSpec::name)
                    .toList() + "\"}");
        }
        String key = run.id() + ":" + call.stepId() + ":" + call.id();
        String requestId = run.id() + "/" + call.stepId();
        ToolArgumentPseudonyms.Restored restored;
        try {
            restored = restore(run, token.value(), requestId, call);
        }
        catch (DependencyUnavailableException noVault) {
            return new Ended(RunStatus.FAILED, "dependency_unavailable", "Guardrails did not answer when the "
                    + "pseudonyms of tool call '" + call.name() + "' were to be restored; it was not sent.");
        }
        InvokeToolCommand command = new InvokeToolCommand(requestId, call.name(), restored.argumentsJson(), run.id(),
                call.stepId(), key, provenance(run.goal(), transcript));
        Observation span = this.steps.start(run.id(), StepType.TOOL_CALLED, call.stepId());
        ToolInvokedReply reply = send(run, token, command);
        Map<String, Object> detail = toolDetail(call, key, reply, restored);
        this.steps.finish(span, run.id(), StepType.TOOL_CALLED, call.stepId(), detail, 0, BigDecimal.ZERO);
        reply = settle(run, token, command, call, restored, reply);
        if (needsReconciling(reply)) {
            return new Ended(RunStatus.FAILED, "tool_unresolved", "What became of tool call " + key + " is still "
                    + "unknown after " + this.settings.reconcileAttempts() + " reconciliations; it was not resent.");
        }
        return switch (reply.status()) {
            case PENDING_APPROVAL -> {
                // the step log shows the goal as guardrails let the model see it (masked), not as the user typed it
                this.steps.record(run.id(), StepType.APPROVAL_REQUESTED, call.stepId(), approvalDetail(call, reply,
                        provenance(transcript.lastUserText(), transcript)));
                yield new Parked(new PendingApproval(reply.approvalId(), run.id(), run.tenantId(), call.stepId(),
                        call.id(), call.name(), command.argumentsJson(), key, "PENDING", reply.approvalExpiresAt(),
                        null, null, null));
            }
            case APPROVAL_DENIED -> new Ended(RunStatus.DENIED, "approval_denied",
                    "A human denied tool call '" + call.name() + "': " + restored.pseudonymise(reply.error()));
            case APPROVAL_EXPIRED -> new Ended(RunStatus.FAILED, "approval_expired",
                    "Nobody decided on tool call '" + call.name() + "' before its approval expired.");
            default -> new Answered(restored.pseudonymise(toolContent(reply)));
        };
    }

    /**
     * The call's arguments as the tool must get them: pseudonyms restored from the run's pseudonym vault (the run
     * id). The model's arguments, with pseudonyms, stay in the transcript and the step log.
     */
    ToolArgumentPseudonyms.Restored restore(AgentRun run, String token, String requestId, Transcript.Call call) {
        String arguments = call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments();
        return this.pseudonyms.restore(token, run.tenantId(), requestId, run.id(), arguments);
    }

    /** Sends (or resends, with the same key) a call; null when no reply came in time. */
    private ToolInvokedReply send(AgentRun run, RunToken token, InvokeToolCommand command) {
        try {
            return this.tools.invoke(token.value(), run.tenantId(), command);
        }
        catch (DependencyUnavailableException noReply) {
            return null;
        }
    }

    /**
     * After a timeout (no reply, {@code TIMED_OUT}, {@code IN_PROGRESS}) ask tools-agent's ledger what became of the
     * call before doing anything else: completed or parked calls are taken as they are; only a call the ledger never
     * ran is resent, with the same key, so a side effect never happens twice.
     */
    private ToolInvokedReply settle(AgentRun run, RunToken token, InvokeToolCommand command, Transcript.Call call,
                                    ToolArgumentPseudonyms.Restored restored, ToolInvokedReply reply) {
        for (int attempt = 1; needsReconciling(reply) && attempt <= this.settings.reconcileAttempts(); attempt++) {
            ToolCallStatusReport report;
            try {
                report = this.tools.status(token.value(), run.tenantId(), command.requestId() + "/reconcile-" + attempt,
                        command.idempotencyKey());
            }
            catch (DependencyUnavailableException noReply) {
                this.steps.record(run.id(), StepType.TOOL_RECONCILED, command.stepId(), Map.of("idempotencyKey",
                        command.idempotencyKey(), "attempt", attempt, "state", "NO_REPLY"));
                reply = null;
                continue;
            }
            this.steps.record(run.id(), StepType.TOOL_RECONCILED, command.stepId(), Map.of("idempotencyKey",
                    command.idempotencyKey(), "attempt", attempt, "state", report.state().name()));
            reply = switch (report.state()) {
                case COMPLETED, PENDING_APPROVAL -> report.outcome();
                case IN_PROGRESS -> {
                    pause();
                    yield null;
                }
                case UNKNOWN, NOT_EXECUTED -> {
                    Observation span = this.steps.start(run.id(), StepType.TOOL_RETRIED, command.stepId());
                    ToolInvokedReply resent = send(run, token, command);
                    this.steps.finish(span, run.id(), StepType.TOOL_RETRIED, command.stepId(), toolDetail(
                            new Transcript.Call(null, call.name(), call.arguments(), call.stepId()),
                            command.idempotencyKey(), resent, restored), 0, BigDecimal.ZERO);
                    yield resent;
                }
            };
        }
        return reply;
    }

    private static boolean needsReconciling(ToolInvokedReply reply) {
        return reply == null || reply.status() == ToolInvokedReply.Status.TIMED_OUT
                || reply.status() == ToolInvokedReply.Status.IN_PROGRESS;
    }

    /** What the model reads as the tool's answer: the result, or the status and error it can correct. */
    static String toolContent(ToolInvokedReply reply) {
        if (reply.status() == ToolInvokedReply.Status.SUCCEEDED && reply.resultJson() != null) {
            return reply.resultJson();
        }
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("status", reply.status().name());
        failure.put("error", reply.error());
        return JsonMapper.shared().writeValueAsString(failure);
    }

    /** Where the instruction for a call came from: the user's goal, and the tool result the model read just before. */
    private static List<InstructionSource> provenance(String goal, Transcript transcript) {
        List<InstructionSource> sources = new ArrayList<>();
        sources.add(new InstructionSource("user_message", "goal", excerpt(goal)));
        Transcript.Turn lastResult = transcript.turns().stream()
                .filter(turn -> "tool".equals(turn.role()))
                .reduce((first, second) -> second).orElse(null);
        if (lastResult != null) {
            sources.add(new InstructionSource("tool_result", lastResult.toolCallId(), excerpt(lastResult.content())));
        }
        return sources;
    }

    /** The step's detail: the model's arguments (pseudonyms, not the restored values) and the tool's reply. */
    private static Map<String, Object> toolDetail(Transcript.Call call, String key, ToolInvokedReply reply,
                                                  ToolArgumentPseudonyms.Restored restored) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("tool", call.name());
        if (call.id() != null) {
            detail.put("toolCallId", call.id());
        }
        detail.put("arguments", call.arguments());
        detail.put("idempotencyKey", key);
        detail.put("status", reply == null ? "NO_REPLY" : reply.status().name());
        if (reply != null) {
            detail.put("tookMillis", reply.tookMillis());
            detail.put("replayed", reply.replayed());
            if (reply.error() != null) {
                detail.put("error", restored.pseudonymise(reply.error()));
            }
            if (reply.resultJson() != null) {
                detail.put("result", excerpt(restored.pseudonymise(reply.resultJson())));
            }
        }
        return detail;
    }

    private static Map<String, Object> approvalDetail(Transcript.Call call, ToolInvokedReply reply,
                                                      List<InstructionSource> provenance) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("approvalId", reply.approvalId());
        detail.put("tool", call.name());
        detail.put("arguments", call.arguments());
        detail.put("expiresAt", reply.approvalExpiresAt() == null ? null : reply.approvalExpiresAt().toString());
        detail.put("provenance", provenance.stream()
                .map(source -> Map.of("kind", source.kind(), "ref", source.ref(), "excerpt", source.excerpt()))
                .toList());
        return detail;
    }

    private boolean cancelled(String runId) {
        return this.store.find(runId).map(run -> run.status() == RunStatus.CANCELLED).orElse(true);
    }

    private void save(String runId, Progress progress) {
        this.store.saveProgress(runId, progress.transcript, progress.steps, progress.tokens, progress.cost,
                progress.wallMs());
    }

    private void end(AgentRun run, Progress progress, Ended ended) {
        save(run.id(), progress);
        finish(run, progress, ended.status(), ended.code(), ended.message(), null, null);
    }

    /**
     * The answer as the run's user reads it: pseudonyms restored from the run's vault, as chat answers are. If
     * guardrails cannot be asked, the answer keeps its pseudonyms rather than fail a finished run.
     */
    private String forTheUser(AgentRun run, RunToken token, String answer) {
        try {
            return this.pseudonyms.restoreText(token.value(), run.tenantId(), run.id() + "/answer", run.id(), answer);
        }
        catch (DependencyUnavailableException noVault) {
            log.warn("Run {}: guardrails did not answer; the answer keeps its pseudonyms", run.id());
            return answer;
        }
    }

    /** Ends the run: {@code shown} is the answer for the user, {@code answer} the model's, for the step log. */
    private void finish(AgentRun run, Progress progress, RunStatus status, String code, String message, String answer,
                        String shown) {
        this.store.inTransaction(() -> {
            if (!this.store.transition(run.id(), List.of(RunStatus.RUNNING), status, code, message, shown)) {
                return false;
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("status", status.name());
            detail.put("steps", progress.steps);
            detail.put("tokens", progress.tokens);
            detail.put("costUsd", progress.cost);
            if (code != null) {
                detail.put("error", Map.of("code", code, "message", message));
            }
            if (answer != null) {
                detail.put("answer", answer);
            }
            this.steps.record(run.id(), StepType.finalFor(status), null, detail);
            return true;
        });
    }

    private void pause() {
        try {
            Thread.sleep(this.settings.reconcileBackoff());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reconciling", ex);
        }
    }

    private static String excerpt(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "…";
    }

    /** What a run has used so far; written back after every step. */
    private static final class Progress {

        Transcript transcript;
        int steps;
        int tokens;
        BigDecimal cost;
        final long wallBefore;
        final long stretchStart;

        Progress(Transcript transcript, int steps, int tokens, BigDecimal cost, long wallBefore, long stretchStart) {
            this.transcript = transcript;
            this.steps = steps;
            this.tokens = tokens;
            this.cost = cost;
            this.wallBefore = wallBefore;
            this.stretchStart = stretchStart;
        }

        long wallMs() {
            return this.wallBefore + (System.nanoTime() - this.stretchStart) / 1_000_000;
        }
    }

    /** The model call of a step failed. */
    static final class ModelStepException extends RuntimeException {

        ModelStepException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
