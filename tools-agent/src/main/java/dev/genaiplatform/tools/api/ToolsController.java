package dev.genaiplatform.tools.api;

import dev.genaiplatform.contracts.http.PlatformHttpHeaders;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.contracts.tools.DecideToolApprovalCommand;
import dev.genaiplatform.contracts.tools.InvokeToolCommand;
import dev.genaiplatform.contracts.tools.ToolApprovalDecidedEvent;
import dev.genaiplatform.contracts.tools.ToolApprovalRequestedEvent;
import dev.genaiplatform.contracts.tools.ToolCallStatusReport;
import dev.genaiplatform.contracts.tools.ToolInvokedReply;
import dev.genaiplatform.tools.approval.ApprovalDesk;
import dev.genaiplatform.tools.invocation.ToolCallService;
import dev.genaiplatform.tools.policy.ToolPolicy;
import dev.genaiplatform.tools.registry.PlatformTool;
import dev.genaiplatform.tools.registry.ToolRegistry;
import dev.genaiplatform.tools.security.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The tools over HTTP (through the gateway, scope {@code agent}): list them as this caller's policy sees them, run
 * one, ask what became of a call, decide an approval. Running goes through the same {@link ToolCallService} as
 * Kafka, so the same policy, ledger and approvals apply; the caller is the verified token, nothing else.
 */
@RestController
@RequestMapping(path = "/api/tools", produces = MediaType.APPLICATION_JSON_VALUE)
class ToolsController {

    private final ToolRegistry registry;
    private final ToolPolicy policy;
    private final ToolCallService calls;
    private final ApprovalDesk approvals;
    private final JsonMapper json;

    ToolsController(ToolRegistry registry, ToolPolicy policy, ToolCallService calls, ApprovalDesk approvals, JsonMapper json) {
        this.registry = registry;
        this.policy = policy;
        this.calls = calls;
        this.approvals = approvals;
        this.json = json;
    }

    @GetMapping
    List<ToolView> list(@AuthenticationPrincipal Jwt jwt) {
        Caller caller = Caller.of(jwt);
        return registry.all().stream().map(tool -> view(tool, caller)).toList();
    }

    @GetMapping("/{name}")
    ToolView one(@PathVariable String name, @AuthenticationPrincipal Jwt jwt) {
        return registry.find(name).map(tool -> view(tool, Caller.of(jwt)))
                .orElseThrow(() -> new ApiProblem(ProblemType.NOT_FOUND, "No tool named '" + name + "'."));
    }

    /** The body is the arguments object, e.g. {@code {"expression": "2 + 2"}}. 202 when the call waits for a human. */
    @PostMapping(path = "/{name}/invocations", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ToolInvokedReply> invoke(@PathVariable String name, @RequestBody String arguments,
                                            @RequestHeader(name = PlatformHttpHeaders.IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                            @RequestHeader(name = PlatformHttpHeaders.REQUEST_ID, required = false) String requestId,
                                            @AuthenticationPrincipal Jwt jwt) throws InterruptedException {
        ToolInvokedReply reply = calls.invoke(new InvokeToolCommand(requestId == null ? "http-" + UUID.randomUUID() : requestId,
                name, arguments, null, null, idempotencyKey, List.of()), Caller.of(jwt));
        return switch (reply.status()) {
            case SUCCEEDED -> ResponseEntity.ok(reply);
            case PENDING_APPROVAL -> ResponseEntity.status(HttpStatus.ACCEPTED).body(reply);
            case UNKNOWN_TOOL -> throw new ApiProblem(ProblemType.NOT_FOUND, reply.error());
            case INVALID_ARGUMENTS -> throw new ApiProblem(ProblemType.INVALID_VALUE, reply.error());
            case DENIED -> throw new ApiProblem(ProblemType.TOOL_NOT_ALLOWED, reply.error());
            case FAILED -> throw new ApiProblem(ProblemType.TOOL_FAILED, reply.error());
            case TIMED_OUT -> throw new ApiProblem(ProblemType.UPSTREAM_TIMEOUT, reply.error());
            case IDEMPOTENCY_KEY_REUSED -> throw new ApiProblem(ProblemType.IDEMPOTENCY_KEY_REUSED, reply.error());
            case IN_PROGRESS, APPROVAL_DENIED, APPROVAL_EXPIRED -> throw new ApiProblem(ProblemType.CONFLICT, reply.error());
        };
    }

    /** Reconciliation: what became of the call sent with this idempotency key (this tenant's only). */
    @GetMapping("/calls/{idempotencyKey}")
    ToolCallStatusReport call(@PathVariable String idempotencyKey,
                              @RequestHeader(name = PlatformHttpHeaders.REQUEST_ID, required = false) String requestId,
                              @AuthenticationPrincipal Jwt jwt) {
        return calls.status(requestId, idempotencyKey, Caller.of(jwt));
    }

    /** The tenant's calls waiting for a human (optionally one run's), with arguments and provenance. */
    @GetMapping("/approvals")
    List<ToolApprovalRequestedEvent> pendingApprovals(@RequestParam(required = false) String runId,
                                                      @AuthenticationPrincipal Jwt jwt) {
        return approvals.pending(Caller.of(jwt), runId);
    }

    /** Body {@code {"decision": "approve" | "deny", "reason": "..."}}. */
    @PostMapping(path = "/approvals/{approvalId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ToolApprovalDecidedEvent decide(@PathVariable String approvalId, @RequestBody DecisionBody body,
                                    @RequestHeader(name = PlatformHttpHeaders.REQUEST_ID, required = false) String requestId,
                                    @AuthenticationPrincipal Jwt jwt) throws InterruptedException {
        DecideToolApprovalCommand.Decision decision = switch (body.decision() == null ? "" : body.decision().toLowerCase(Locale.ROOT)) {
            case "approve", "approved" -> DecideToolApprovalCommand.Decision.APPROVE;
            case "deny", "denied" -> DecideToolApprovalCommand.Decision.DENY;
            default -> throw new ApiProblem(ProblemType.INVALID_VALUE, "decision must be 'approve' or 'deny'.");
        };
        ApprovalDesk.Result result = approvals.decide(new DecideToolApprovalCommand(requestId, approvalId, decision,
                body.reason()), Caller.of(jwt));
        if (result.refusal() == null) {
            return result.event();
        }
        throw new ApiProblem(switch (result.refusal()) {
            case NOT_FOUND -> ProblemType.NOT_FOUND;
            case FORBIDDEN -> ProblemType.INSUFFICIENT_SCOPE;
            case CONFLICT -> ProblemType.CONFLICT;
        }, result.event().message());
    }

    record DecisionBody(String decision, String reason) {
    }

    private ToolView view(PlatformTool tool, Caller caller) {
        ToolPolicy.Decision decision = policy.decide(tool, caller);
        return new ToolView(tool.name(), tool.getToolDefinition().description(),
                json.readTree(tool.getToolDefinition().inputSchema()), policy.tier(tool), policy.scopes(tool),
                decision.allowed(), decision.allowed() && decision.approvalRequired());
    }
}
