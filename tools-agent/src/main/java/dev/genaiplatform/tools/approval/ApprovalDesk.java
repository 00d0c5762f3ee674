package dev.genaiplatform.tools.approval;

import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.contracts.tools.DecideToolApprovalCommand;
import dev.genaiplatform.contracts.tools.DecideToolApprovalCommand.Decision;
import dev.genaiplatform.contracts.tools.InstructionSource;
import dev.genaiplatform.contracts.tools.ToolApprovalDecidedEvent;
import dev.genaiplatform.contracts.tools.ToolApprovalRequestedEvent;
import dev.genaiplatform.contracts.tools.ToolCalledEvent;
import dev.genaiplatform.contracts.tools.ToolInvokedReply.Status;
import dev.genaiplatform.tools.invocation.ToolEvents;
import dev.genaiplatform.tools.invocation.ToolRunner;
import dev.genaiplatform.tools.ledger.LedgerEntry;
import dev.genaiplatform.tools.ledger.LedgerEntry.State;
import dev.genaiplatform.tools.ledger.ToolCallLedger;
import dev.genaiplatform.tools.policy.ToolPolicy;
import dev.genaiplatform.tools.registry.PlatformTool;
import dev.genaiplatform.tools.registry.ToolRegistry;
import dev.genaiplatform.tools.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Human decisions on parked calls. A decision is recorded in the ledger before anything runs, so an approval
 * survives a crash: whoever next touches the call (a redelivered decision, a repeated invoke, or the periodic
 * {@link #sweep()}) runs it, and the ledger's row lock makes that happen once. The call runs with the arguments
 * recorded when it was parked; nothing in the decision can change them.
 *
 * <p>Refused, changing nothing: an approval id of another tenant (answered as not found, so ids cannot be probed),
 * a token without scope {@code agent}, a token from the very gateway request that asked for the call (an agent
 * must not approve its own call with the token it acts on), a decision against an earlier one, an expired approval.
 * The same decision twice is accepted and answers the recorded outcome: nothing runs again.
 */
public final class ApprovalDesk {

    private static final Logger log = LoggerFactory.getLogger(ApprovalDesk.class);

    /** Why a decision changed nothing; maps to an HTTP problem. */
    public enum Refusal { NOT_FOUND, FORBIDDEN, CONFLICT }

    /** The event to publish or answer, and the refusal when not accepted. */
    public record Result(ToolApprovalDecidedEvent event, Refusal refusal) {
    }

    private final ToolCallLedger ledger;
    private final ToolRegistry registry;
    private final ToolPolicy policy;
    private final ToolRunner runner;
    private final ToolEvents events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final JsonMapper json;

    public ApprovalDesk(ToolCallLedger ledger, ToolRegistry registry, ToolPolicy policy, ToolRunner runner,
                        ToolEvents events, TransactionTemplate transactions, Clock clock, JsonMapper json) {
        this.ledger = ledger;
        this.registry = registry;
        this.policy = policy;
        this.runner = runner;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.json = json;
    }

    public Result decide(DecideToolApprovalCommand command, Caller approver) throws InterruptedException {
        if (!approver.hasScope(InternalToken.SCOPE_AGENT)) {
            return refused(command, Refusal.FORBIDDEN, "Deciding approvals needs a key with scope 'agent'.");
        }
        if (command.decision() == null) {
            return refused(command, Refusal.CONFLICT, "The decision must be APPROVE or DENY.");
        }
        Optional<LedgerEntry> found = parse(command.approvalId()).flatMap(id -> ledger.findByApproval(approver.tenant(), id));
        if (found.isEmpty()) {
            return refused(command, Refusal.NOT_FOUND, "No approval '" + command.approvalId() + "' for this tenant.");
        }
        LedgerEntry entry = found.get();
        if (approver.requestId() != null && approver.requestId().equals(entry.requestedRid())) {
            return refused(command, Refusal.FORBIDDEN, "An approval must come from another request than the one "
                    + "that asked for the call.");
        }
        String reason = command.reason() == null ? "" : command.reason().strip();
        // a recorded decision never changes: a repeat (a redelivery after a crash, a second click) is answered without
        // the row lock, which an attempt running the approved call may hold for as long as the tool runs
        if (entry.decision() != null && !entry.decision().equals(command.decision().name())) {
            return refused(command, Refusal.CONFLICT, "Approval " + command.approvalId() + " was already decided: "
                    + entry.decision() + ".");
        }
        if (entry.decision() == null) {
            Result early = transactions.execute(tx -> record(entry.callId(), command, reason, approver));
            if (early != null) {
                return early;
            }
        }
        LedgerEntry decided = runIfApproved(entry.callId(), approver);
        ToolApprovalDecidedEvent event = decidedEvent(command.approvalId(), decided, true, null);
        events.approvalDecided(event, approver);
        return new Result(event, null);
    }

    /** Under the row lock: refuse, or record the decision. Null when recorded (or repeated) and the caller goes on. */
    private Result record(UUID callId, DecideToolApprovalCommand command, String reason, Caller approver) {
        LedgerEntry entry = ledger.lock(callId, Duration.ofSeconds(5));
        if (entry.decision() != null) {
            return entry.decision().equals(command.decision().name()) ? null
                    : refused(command, Refusal.CONFLICT, "Approval " + command.approvalId() + " was already decided: "
                    + entry.decision() + ".");
        }
        // expired, whether the sweep ended the call first or this decision is the first to notice: the same answer
        boolean endedByExpiry = entry.state() == State.COMPLETED && entry.status() == Status.APPROVAL_EXPIRED;
        if (endedByExpiry || entry.state() != State.COMPLETED && entry.approvalExpired(clock.instant())) {
            if (!endedByExpiry) {
                ledger.complete(callId, Status.APPROVAL_EXPIRED, null, expiredMessage(entry), 0, false);
            }
            return refused(command, Refusal.CONFLICT, "Approval " + command.approvalId() + " expired at "
                    + entry.approvalExpiresAt() + ".");
        }
        if (entry.state() == State.COMPLETED) {
            return refused(command, Refusal.CONFLICT, "Approval " + command.approvalId() + " can no longer be decided: "
                    + "the call ended " + entry.status() + ".");
        }
        if (command.decision() == Decision.DENY) {
            ledger.recordDecision(callId, State.COMPLETED, Decision.DENY.name(), reason, approver.actor());
            ledger.complete(callId, Status.APPROVAL_DENIED, null, "A human denied this call"
                    + (reason.isEmpty() ? "." : ": " + reason), 0, false);
        } else {
            ledger.recordDecision(callId, State.APPROVED, Decision.APPROVE.name(), reason, approver.actor());
        }
        return null;
    }

    /** Runs an approved call that has not run yet; returns the row as it ends. */
    private LedgerEntry runIfApproved(UUID callId, Caller approver) throws InterruptedException {
        LedgerEntry entry = ledger.findById(callId).orElseThrow();
        if (entry.state() != State.APPROVED) {
            return entry;
        }
        Optional<PlatformTool> tool = registry.find(entry.toolName());
        if (tool.isEmpty()) {
            ledger.complete(callId, Status.UNKNOWN_TOOL, null, "Tool '" + entry.toolName() + "' is no longer registered.", 0, false);
            return ledger.findById(callId).orElseThrow();
        }
        // the tool acts for the user who asked; the approver's token (when there is one) is what it may forward
        Caller requester = new Caller(entry.tenant(), entry.keyId(), approver == null ? Set.of() : approver.scopes(),
                entry.endUser(), entry.requestedRid(), approver == null ? null : approver.token());
        ToolRunner.Attempt attempt = runner.run(callId, tool.get(), requester, Set.of(State.APPROVED));
        // another attempt holds the row (the sweep, after a crash, races the redelivered decision): wait for its
        // outcome, so that this decision's reply and event, the ones carrying the approver's token that lets the
        // orchestrator resume the run, hold the result rather than a bare "approved"
        long giveUpAt = System.nanoTime() + runner.timeout().toNanos();
        while (attempt.status() == Status.IN_PROGRESS && System.nanoTime() < giveUpAt) {
            attempt = runner.run(callId, tool.get(), requester, Set.of(State.APPROVED));
        }
        LedgerEntry after = ledger.findById(callId).orElseThrow();
        if (attempt.ranNow()) {
            events.toolCalled(new ToolCalledEvent(callId.toString(), after.runId(), after.stepId(),
                    policy.tier(tool.get()), after.deliveries(), clock.instant(), after.reply(null, false)), requester);
        }
        return after;
    }

    /** What a human deciding sees: the tenant's pending calls, with arguments and provenance. */
    public java.util.List<ToolApprovalRequestedEvent> pending(Caller caller, String runId) {
        return ledger.pendingApprovals(caller.tenant(), runId, clock.instant()).stream().map(entry ->
                new ToolApprovalRequestedEvent(entry.approvalId().toString(), entry.callId().toString(),
                        entry.idempotencyKey(), entry.runId(), entry.stepId(), entry.requestId(), entry.toolName(),
                        registry.find(entry.toolName()).map(policy::tier).orElse(null), entry.argumentsJson(),
                        provenance(entry.provenanceJson()), entry.endUser() != null ? entry.endUser() : entry.keyId(),
                        entry.createdAt(), entry.approvalExpiresAt())).toList();
    }

    private java.util.List<InstructionSource> provenance(String provenanceJson) {
        return provenanceJson == null ? java.util.List.of()
                : java.util.List.of(json.readValue(provenanceJson, InstructionSource[].class));
    }

    /**
     * Finishes what a crash or silence left behind: runs approved calls that did not run, and expires approvals
     * nobody decided in time. Scheduled; safe on several instances at once (row locks, skip locked).
     */
    public void sweep() {
        try {
            for (UUID callId : ledger.approvedAndIdle(50)) {
                LedgerEntry after = runIfApproved(callId, null);
                events.approvalDecided(decidedEvent(after.approvalId().toString(), after, true, null), owner(after));
            }
            for (UUID callId : ledger.expiredAndIdle(clock.instant(), 50)) {
                LedgerEntry expired = transactions.execute(tx -> {
                    LedgerEntry entry = ledger.lock(callId, Duration.ofSeconds(1));
                    if (entry.state() != State.PENDING_APPROVAL) {
                        return null;
                    }
                    ledger.complete(callId, Status.APPROVAL_EXPIRED, null, expiredMessage(entry), 0, false);
                    return ledger.findById(callId).orElseThrow();
                });
                if (expired != null) {
                    events.toolCalled(new ToolCalledEvent(callId.toString(), expired.runId(), expired.stepId(), null,
                            expired.deliveries(), clock.instant(), expired.reply(null, false)), owner(expired));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Approval sweep failed; the next one retries", e);
        }
    }

    private ToolApprovalDecidedEvent decidedEvent(String approvalId, LedgerEntry entry, boolean accepted, String message) {
        return new ToolApprovalDecidedEvent(approvalId, entry.runId(), entry.stepId(),
                entry.decision() == null ? null : Decision.valueOf(entry.decision()), entry.decisionReason(),
                entry.decidedBy(), entry.decidedAt(),
                // only a finished call has an outcome: an approved call still running (or left to the sweep) has none
                // yet, and a reader must not take its interim status for the tool's answer
                entry.state() == State.COMPLETED ? entry.reply(null, false) : null, accepted, message);
    }

    /** The tenant and user a ledger entry acts for, without a live token. */
    private static Caller owner(LedgerEntry entry) {
        return new Caller(entry.tenant(), entry.keyId(), Set.of(), entry.endUser(), entry.requestedRid(), null);
    }

    private static Result refused(DecideToolApprovalCommand command, Refusal refusal, String message) {
        return new Result(new ToolApprovalDecidedEvent(command.approvalId(), null, null, command.decision(),
                null, null, null, null, false, message), refusal);
    }

    private static String expiredMessage(LedgerEntry entry) {
        return "Nobody approved this call before " + entry.approvalExpiresAt() + "; it did not run.";
    }

    private static Optional<UUID> parse(String id) {
        try {
            return id == null ? Optional.empty() : Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
