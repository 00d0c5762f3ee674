package dev.genaiplatform.tools.invocation;

import dev.genaiplatform.contracts.tools.InstructionSource;
import dev.genaiplatform.contracts.tools.InvokeToolCommand;
import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.contracts.tools.ToolApprovalRequestedEvent;
import dev.genaiplatform.contracts.tools.ToolCallStatusReport;
import dev.genaiplatform.contracts.tools.ToolCalledEvent;
import dev.genaiplatform.contracts.tools.ToolInvokedReply;
import dev.genaiplatform.contracts.tools.ToolInvokedReply.Status;
import dev.genaiplatform.tools.ledger.LedgerEntry;
import dev.genaiplatform.tools.ledger.LedgerEntry.State;
import dev.genaiplatform.tools.ledger.ToolCallLedger;
import dev.genaiplatform.tools.policy.ToolPolicy;
import dev.genaiplatform.tools.registry.PlatformTool;
import dev.genaiplatform.tools.registry.ToolRegistry;
import dev.genaiplatform.tools.security.Caller;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Every tool call passes the same gates, in an order that leaks the least and runs the least:
 * <ol>
 *   <li>a tool of that name is registered, else UNKNOWN_TOOL;</li>
 *   <li>the policy lets this tenant and key call it, else DENIED (before the arguments are even read);</li>
 *   <li>the arguments are JSON matching the tool's schema, else INVALID_ARGUMENTS;</li>
 *   <li>the ledger records the call under its idempotency key; a key seen before returns its recorded outcome
 *       (or IDEMPOTENCY_KEY_REUSED if the tool or arguments differ), and never runs anything again;</li>
 *   <li>a call that needs a human is parked: PENDING_APPROVAL, and an approval request is published;</li>
 *   <li>otherwise {@link ToolRunner} runs it exactly once.</li>
 * </ol>
 * It never throws for a bad call: every outcome is a reply, and an event on {@code tools.tool-called.v1}. Each call
 * is an observation ({@code tools.invocations}): a span with its timing, and a timer by tool and status.
 */
public final class ToolCallService {

    /** Longest idempotency key accepted: keys are identifiers, not payloads. */
    static final int MAX_KEY_LENGTH = 200;

    private final ToolRegistry registry;
    private final ToolPolicy policy;
    private final ArgumentValidator validator;
    private final ToolCallLedger ledger;
    private final ToolRunner runner;
    private final ToolEvents events;
    private final JsonMapper json;
    private final ObservationRegistry observations;
    private final Duration approvalTtl;
    private final Clock clock;

    public ToolCallService(ToolRegistry registry, ToolPolicy policy, ToolCallLedger ledger, ToolRunner runner,
                           ToolEvents events, JsonMapper json, ObservationRegistry observations,
                           Duration approvalTtl, Clock clock) {
        this.registry = registry;
        this.policy = policy;
        this.validator = new ArgumentValidator(registry);
        this.ledger = ledger;
        this.runner = runner;
        this.events = events;
        this.json = json;
        this.observations = observations;
        this.approvalTtl = approvalTtl;
        this.clock = clock;
    }

    public ToolInvokedReply invoke(InvokeToolCommand command, Caller caller) throws InterruptedException {
        Optional<PlatformTool> tool = registry.find(command.toolName());
        Observation observation = Observation.createNotStarted("tools.invocations", observations)
                .contextualName("tool " + tool.map(PlatformTool::name).orElse("unknown"))
                // registered names only: invented names would explode the metric's cardinality
                .lowCardinalityKeyValue("tool", tool.map(PlatformTool::name).orElse("unknown"))
                .highCardinalityKeyValue("tenant", caller.tenant())
                .start();
        Call call = null;
        try (Observation.Scope scope = observation.openScope()) {
            call = tool.isEmpty() ? Call.of(null, unknown(command)) : gates(tool.get(), command, caller);
            ToolInvokedReply reply = call.reply();
            observation.lowCardinalityKeyValue("status", reply.status().name());
            observation.lowCardinalityKeyValue("replayed", String.valueOf(reply.replayed()));
            return reply;
        } catch (InterruptedException | RuntimeException e) {
            observation.error(e);
            throw e;
        } finally {
            observation.stop();
            if (call != null) {
                events.toolCalled(new ToolCalledEvent(call.reply().callId(), command.runId(), command.stepId(),
                        tool.map(policy::tier).orElse(null), call.entry() == null ? 1 : call.entry().deliveries(),
                        clock.instant(), call.reply()), caller);
            }
        }
    }

    private Call gates(PlatformTool tool, InvokeToolCommand command, Caller caller) throws InterruptedException {
        ToolPolicy.Decision decision = policy.decide(tool, caller);
        if (!decision.allowed()) {
            return Call.of(null, error(command, Status.DENIED, decision.reason()));
        }
        String arguments = command.argumentsJson() == null || command.argumentsJson().isBlank() ? "{}" : command.argumentsJson();
        JsonNode parsed;
        try {
            parsed = json.readTree(arguments);
        } catch (JacksonException e) {
            return Call.of(null, error(command, Status.INVALID_ARGUMENTS, "The arguments are not valid JSON: " + e.getOriginalMessage()));
        }
        List<String> violations = validator.violations(tool, parsed);
        if (!violations.isEmpty()) {
            return Call.of(null, error(command, Status.INVALID_ARGUMENTS,
                    "The arguments do not match the tool's schema: " + String.join("; ", violations)));
        }
        String key = command.idempotencyKey() == null || command.idempotencyKey().isBlank()
                ? "auto:" + UUID.randomUUID() : command.idempotencyKey();
        if (key.length() > MAX_KEY_LENGTH) {
            return Call.of(null, error(command, Status.INVALID_ARGUMENTS, "The idempotency key is longer than " + MAX_KEY_LENGTH + " characters."));
        }
        LedgerEntry entry = ledger.receive(new ToolCallLedger.NewCall(caller.tenant(), key, tool.name(), json.writeValueAsString(parsed),
                command.requestId(), command.runId(), command.stepId(), caller.keyId(), caller.user(),
                caller.requestId(), provenanceJson(command.provenance())));
        if (!entry.toolName().equals(tool.name()) || !json.readTree(entry.argumentsJson()).equals(parsed)) {
            return Call.of(entry, new ToolInvokedReply(command.requestId(), command.toolName(), Status.IDEMPOTENCY_KEY_REUSED,
                    null, "Idempotency key '" + key + "' was used for another call (tool '" + entry.toolName()
                    + "' with other arguments); nothing ran.", 0, key, null, null, null, false));
        }
        return switch (entry.state()) {
            case COMPLETED -> Call.of(entry, entry.reply(command.requestId(), true));
            case PENDING_APPROVAL -> entry.approvalExpired(clock.instant())
                    ? Call.of(entry, new ToolInvokedReply(command.requestId(), tool.name(), Status.APPROVAL_EXPIRED, null,
                    "Nobody approved this call before " + entry.approvalExpiresAt() + "; it did not run.", 0,
                    entry.idempotencyKey(), entry.callId().toString(), entry.approvalId().toString(),
                    entry.approvalExpiresAt(), true))
                    : Call.of(entry, entry.reply(command.requestId(), true));
            case APPROVED -> run(tool, entry, caller, command, State.APPROVED);
            case RECEIVED -> decision.approvalRequired() ? park(tool, entry, caller, command)
                    : run(tool, entry, caller, command, State.RECEIVED);
        };
    }

    private Call run(PlatformTool tool, LedgerEntry entry, Caller caller, InvokeToolCommand command, State runnable)
            throws InterruptedException {
        ToolRunner.Attempt attempt = runner.run(entry.callId(), tool, caller, Set.of(runnable));
        if (attempt.entry() == null) {
            return Call.of(entry, new ToolInvokedReply(command.requestId(), tool.name(), attempt.status(), null,
                    attempt.message(), 0, entry.idempotencyKey(), entry.callId().toString(), null, null, false));
        }
        return Call.of(attempt.entry(), attempt.entry().reply(command.requestId(), !attempt.ranNow()));
    }

    private Call park(PlatformTool tool, LedgerEntry entry, Caller caller, InvokeToolCommand command) {
        UUID approvalId = UUID.randomUUID();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(approvalTtl);
        String message = "Tool '" + tool.name() + "' needs a human approval: approve or deny approval " + approvalId + ".";
        if (!ledger.awaitApproval(entry.callId(), approvalId, expiresAt, message)) {
            LedgerEntry current = ledger.findById(entry.callId()).orElseThrow(); // another delivery parked it first
            return Call.of(current, current.reply(command.requestId(), true));
        }
        events.approvalRequested(new ToolApprovalRequestedEvent(approvalId.toString(), entry.callId().toString(),
                entry.idempotencyKey(), command.runId(), command.stepId(), command.requestId(), tool.name(),
                policy.tier(tool), entry.argumentsJson(), provenance(command.provenance()), caller.actor(), now, expiresAt), caller);
        LedgerEntry parked = ledger.findById(entry.callId()).orElseThrow();
        return Call.of(parked, parked.reply(command.requestId(), false));
    }

    /** Reconciliation: what the ledger knows of a key, for this caller's tenant only. Never waits for a running attempt. */
    public ToolCallStatusReport status(String requestId, String idempotencyKey, Caller caller) {
        Optional<LedgerEntry> found = idempotencyKey == null ? Optional.empty() : ledger.find(caller.tenant(), idempotencyKey);
        if (found.isEmpty()) {
            return new ToolCallStatusReport(requestId, idempotencyKey, ToolCallStatusReport.State.UNKNOWN, null, null);
        }
        LedgerEntry entry = found.get();
        ToolCallStatusReport.State state = switch (entry.state()) {
            case COMPLETED -> ToolCallStatusReport.State.COMPLETED;
            case PENDING_APPROVAL -> ToolCallStatusReport.State.PENDING_APPROVAL;
            case RECEIVED, APPROVED -> ledger.isLocked(entry.callId()) ? ToolCallStatusReport.State.IN_PROGRESS
                    : entry.state() == State.APPROVED ? ToolCallStatusReport.State.IN_PROGRESS // the sweeper runs it
                    : ToolCallStatusReport.State.NOT_EXECUTED;
        };
        ToolInvokedReply outcome = entry.status() == null ? null : entry.reply(requestId, true);
        return new ToolCallStatusReport(requestId, idempotencyKey, state, outcome, entry.updatedAt());
    }

    private ToolInvokedReply unknown(InvokeToolCommand command) {
        return error(command, Status.UNKNOWN_TOOL, "No tool named '" + command.toolName() + "'. Known tools: "
                + registry.all().stream().map(PlatformTool::name).toList() + ".");
    }

    private static ToolInvokedReply error(InvokeToolCommand command, Status status, String message) {
        return new ToolInvokedReply(command.requestId(), command.toolName(), status, null, message, 0,
                command.idempotencyKey(), null, null, null, false);
    }

    private String provenanceJson(List<InstructionSource> provenance) {
        return provenance == null || provenance.isEmpty() ? null : json.writeValueAsString(provenance);
    }

    private static List<InstructionSource> provenance(List<InstructionSource> provenance) {
        return provenance == null ? List.of() : List.copyOf(provenance);
    }

    /** The tier the policy gives a tool (for views and events). */
    public RiskTier tier(PlatformTool tool) {
        return policy.tier(tool);
    }

    private record Call(LedgerEntry entry, ToolInvokedReply reply) {
        static Call of(LedgerEntry entry, ToolInvokedReply reply) {
            return new Call(entry, reply);
        }
    }
}
