package dev.genaiplatform.orchestrator.agent;

import dev.genaiplatform.contracts.problem.ProblemType;

import dev.genaiplatform.contracts.tools.ToolApprovalDecidedEvent;
import dev.genaiplatform.orchestrator.problem.Problems;
import dev.genaiplatform.orchestrator.security.Caller;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent API ({@code /api/agent/**}, scope {@code agent}; the tenant is the token's). Another tenant's run is
 * a 404, as if it did not exist.
 */
@RestController
class AgentRunController {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AgentRunController.class);

    private final AgentRuns runs;
    private final AgentSettings settings;

    AgentRunController(AgentRuns runs, AgentSettings settings) {
        this.runs = runs;
        this.settings = settings;
    }

    /** Starts a run and answers at once (202); the run goes on in the background. */
    @PostMapping("/api/agent/runs")
    ResponseEntity<Map<String, Object>> start(@AuthenticationPrincipal Jwt jwt, @RequestBody AgentRunRequest request) {
        AgentRun run = this.runs.start(Caller.from(jwt), token(jwt), request);
        return ResponseEntity.accepted().location(URI.create("/api/agent/runs/" + run.id()))
                .body(view(run, List.of(), List.of()));
    }

    @GetMapping("/api/agent/runs/{id}")
    Map<String, Object> get(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        AgentRun run = this.runs.get(Caller.from(jwt), id);
        return view(run, this.runs.steps(id, 0), this.runs.approvals(id));
    }

    @PostMapping("/api/agent/runs/{id}/cancel")
    Map<String, Object> cancel(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        AgentRun run = this.runs.cancel(Caller.from(jwt), id);
        return view(run, this.runs.steps(id, 0), this.runs.approvals(id));
    }

    /** Body: {@code {"decision": "approve"|"deny", "reason": "..."}}. */
    @PostMapping("/api/agent/runs/{id}/approvals/{approvalId}")
    Map<String, Object> decide(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
                               @PathVariable String approvalId, @RequestBody Map<String, String> body) {
        ToolApprovalDecidedEvent decided = this.runs.decide(Caller.from(jwt), token(jwt), id, approvalId,
                body.get("decision"), body.get("reason"));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("approvalId", decided.approvalId());
        view.put("decision", decided.decision());
        view.put("decidedBy", decided.decidedBy());
        view.put("outcome", decided.outcome() == null ? null : decided.outcome().status());
        view.put("run", view(this.runs.get(Caller.from(jwt), id), List.of(), this.runs.approvals(id)));
        return view;
    }

    /**
     * The run's steps as server-sent events: every past step first (or those after {@code Last-Event-ID}), then
     * new ones as they are stored, until the run's final event. Read from the database, so any instance can serve
     * the stream of a run another instance drives.
     */
    @GetMapping(path = "/api/agent/runs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<RunStep>> events(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
                                          @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId) {
        Caller caller = Caller.from(jwt);
        AtomicLong after = new AtomicLong(lastEventId == null ? 0 : lastEventId);
        Duration poll = this.settings.eventsPollInterval();
        return Mono.fromCallable(() -> this.runs.get(caller, id))
                .subscribeOn(Schedulers.boundedElastic())
                .thenMany(Flux.interval(Duration.ZERO, poll)
                        .onBackpressureDrop()
                        .concatMap(tick -> Mono.fromCallable(() -> this.runs.steps(id, after.get()))
                                .subscribeOn(Schedulers.boundedElastic()), 1)
                        .concatMapIterable(steps -> steps)
                        .doOnNext(step -> after.set(step.seq()))
                        .takeUntil(step -> StepType.FINAL.contains(step.type())))
                .map(step -> ServerSentEvent.builder(step).id(Long.toString(step.seq())).event(step.type()).build());
    }

    /** tools-agent (or another dependency) did not answer: 503, never a 500. */
    @ExceptionHandler(dev.genaiplatform.orchestrator.messaging.DependencyUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(dev.genaiplatform.orchestrator.messaging.DependencyUnavailableException ex,
                                              ServerWebExchange exchange) {
        log.warn("Agent API: {}", ex.getMessage());
        return refused(new AgentException(ProblemType.DEPENDENCY_UNAVAILABLE, "The " + ex.dependency()
                + " service did not answer. Retry shortly.", null), exchange);
    }

    @ExceptionHandler(AgentException.class)
    ResponseEntity<ProblemDetail> refused(AgentException ex, ServerWebExchange exchange) {
        ProblemDetail problem = Problems.of(ex.type(), ex.getMessage(), ex.param(), exchange.getRequest().getPath().value());
        ex.properties().forEach(problem::setProperty);
        return ResponseEntity.status(ex.type().status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static RunToken token(Jwt jwt) {
        return new RunToken(jwt.getTokenValue(), jwt.getExpiresAt());
    }

    private static Map<String, Object> view(AgentRun run, List<RunStep> steps, List<PendingApproval> approvals) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", run.id());
        view.put("object", "agent.run");
        view.put("status", run.status());
        view.put("goal", run.goal());
        view.put("model", run.model());
        view.put("mode", run.tools().isEmpty() ? "direct" : "loop");
        view.put("tools", run.tools().stream().map(AgentRun.ToolSpec::name).toList());
        view.put("limits", Map.of("maxSteps", run.budget().maxSteps(), "maxTokens", run.budget().maxTokens(),
                "maxCostUsd", run.budget().maxCostUsd(), "maxWallSeconds", run.budget().maxWallMs() / 1000));
        view.put("usage", Map.of("steps", run.stepsUsed(), "tokens", run.tokensUsed(),
                "costUsd", run.costUsd().stripTrailingZeros(), "wallMs", run.wallUsedMs()));
        if (run.errorCode() != null) {
            view.put("error", Map.of("code", run.errorCode(), "message", String.valueOf(run.errorMessage())));
        }
        view.put("answer", run.answer());
        view.put("approvals", approvals.stream().map(AgentRunController::approvalView).toList());
        view.put("steps", steps);
        view.put("createdAt", run.createdAt());
        view.put("updatedAt", run.updatedAt());
        return view;
    }

    private static Map<String, Object> approvalView(PendingApproval approval) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("approvalId", approval.approvalId());
        view.put("status", approval.status());
        view.put("tool", approval.toolName());
        view.put("arguments", approval.arguments());
        view.put("stepId", approval.stepId());
        view.put("expiresAt", approval.expiresAt());
        view.put("decidedBy", approval.decidedBy());
        view.put("reason", approval.reason());
        return view;
    }
}
