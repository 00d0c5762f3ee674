package dev.genaiplatform.tools.invocation;

import dev.genaiplatform.contracts.tools.ToolInvokedReply.Status;
import dev.genaiplatform.tools.ledger.LedgerEntry;
import dev.genaiplatform.tools.ledger.LedgerEntry.State;
import dev.genaiplatform.tools.ledger.ToolCallLedger;
import dev.genaiplatform.tools.registry.PlatformTool;
import dev.genaiplatform.tools.registry.ToolArgumentException;
import dev.genaiplatform.tools.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the tool of one ledger entry, exactly once. In one database transaction, on a worker thread:
 * lock the ledger row (waiting a little for another attempt), replay if it is already complete, else run the
 * tool, then record the outcome. The tool's own writes join that transaction, so the side effect and the
 * ledger's "done" commit together or not at all: a crash, a timeout or a redelivery can never leave a side effect
 * without its record, nor run it twice.
 *
 * <p>The caller's thread waits at most the tool timeout; past it the attempt is cancelled (interrupted and, before
 * anything commits, rolled back) and the answer is TIMED_OUT. A tool failure rolls back to a savepoint taken
 * before the tool ran, so its partial writes vanish while the FAILED outcome is kept.
 */
public final class ToolRunner {

    private static final Logger log = LoggerFactory.getLogger(ToolRunner.class);

    private final ToolCallLedger ledger;
    private final TransactionTemplate transactions;
    private final ExecutorService workers;
    private final JsonMapper json;
    private final Duration timeout;
    private final Duration lockWait;
    private final Map<String, Duration> holdBeforeCommit;

    public ToolRunner(ToolCallLedger ledger, TransactionTemplate transactions, ExecutorService workers, JsonMapper json,
                      Duration timeout, Duration lockWait) {
        this(ledger, transactions, workers, json, timeout, lockWait, Map.of());
    }

    /**
     * @param holdBeforeCommit fault injection for crash tests only: per tool, how long an attempt waits between writing
     *                         its side effect and committing it (see {@code platform.tools.hold-before-commit})
     */
    public ToolRunner(ToolCallLedger ledger, TransactionTemplate transactions, ExecutorService workers, JsonMapper json,
                      Duration timeout, Duration lockWait, Map<String, Duration> holdBeforeCommit) {
        this.ledger = ledger;
        this.transactions = transactions;
        this.workers = workers;
        this.json = json;
        this.timeout = timeout;
        this.lockWait = lockWait;
        this.holdBeforeCommit = Map.copyOf(holdBeforeCommit);
        this.holdBeforeCommit.forEach((tool, hold) -> log.warn("Fault injection is on: every call of tool '{}' holds "
                + "its transaction open for {} before it commits (platform.tools.hold-before-commit; tests only)",
                tool, hold));
    }

    /** How an attempt ended. {@code entry} is the ledger row after it (null for TIMED_OUT and IN_PROGRESS). */
    public record Attempt(Status status, LedgerEntry entry, boolean ranNow, String message) {
    }

    /**
     * @param runnable the states in which this attempt may run the tool (RECEIVED for a first call, APPROVED after
     *                 a human said yes); in any other state the row is returned as it is
     */
    public Attempt run(UUID callId, PlatformTool tool, Caller caller, Set<State> runnable) throws InterruptedException {
        AtomicBoolean cancelled = new AtomicBoolean();
        Future<Attempt> attempt = workers.submit(() -> transactions.execute(tx -> {
            LedgerEntry entry = ledger.lock(callId, lockWait);
            if (!runnable.contains(entry.state())) {
                return new Attempt(entry.status(), entry, false, null);
            }
            Object savepoint = tx.createSavepoint();
            long started = System.nanoTime();
            Outcome outcome = execute(tool, entry.argumentsJson(), caller);
            if (outcome.status() != Status.SUCCEEDED) {
                tx.rollbackToSavepoint(savepoint);
            }
            holdIfConfigured(tool.name(), callId);
            if (cancelled.get() || workers.isShutdown()) {
                // timed out, or the service is stopping: nothing of this attempt commits, the row stays runnable
                throw new CancellationException("attempt abandoned: roll back");
            }
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            ledger.complete(callId, outcome.status(), outcome.resultJson(), outcome.error(), tookMillis,
                    outcome.status() == Status.SUCCEEDED);
            return new Attempt(outcome.status(), ledger.findById(callId).orElseThrow(), true, null);
        }));
        try {
            return attempt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            cancelled.set(true);
            attempt.cancel(true);
            return new Attempt(Status.TIMED_OUT, null, false, "Tool '" + tool.name() + "' did not finish within "
                    + timeout.toMillis() + " ms and was cancelled; nothing of it was kept unless it finished at that "
                    + "instant: ask the call status before retrying.");
        } catch (InterruptedException e) {
            // this service is shutting down: abandon the attempt (it rolls back) and let the delivery be redone
            cancelled.set(true);
            attempt.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (workers.isShutdown()) {
                // stopping mid-call: the attempt rolled back; the listener must not acknowledge the record
                throw new InterruptedException("Service stopping; tool call " + callId + " left for redelivery");
            }
            if (e.getCause() instanceof PessimisticLockingFailureException) {
                return new Attempt(Status.IN_PROGRESS, null, false, "Another delivery of this call is running; "
                        + "ask the call status later.");
            }
            log.warn("Tool call {} failed outside the tool", callId, e.getCause());
            return new Attempt(Status.FAILED, null, false, "Tool '" + tool.name() + "' could not be run.");
        }
    }

    /** The longest one attempt may run before it is cancelled. */
    public Duration timeout() {
        return timeout;
    }

    /** The side effect is written, not committed: a crash test kills a process in this window. */
    private void holdIfConfigured(String toolName, UUID callId) {
        Duration hold = holdBeforeCommit.get(toolName);
        if (hold == null) {
            return;
        }
        log.info("Tool call {} ({}) holds before commit for {}", callId, toolName, hold);
        try {
            Thread.sleep(hold);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while held before commit: roll back");
        }
    }

    private Outcome execute(PlatformTool tool, String arguments, Caller caller) {
        String result;
        try {
            result = tool.run(arguments, caller);
        } catch (ToolArgumentException e) {
            return Outcome.error(Status.INVALID_ARGUMENTS, e.getMessage());
        } catch (ToolExecutionException e) {
            return Outcome.error(Status.FAILED, e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Tool {} failed unexpectedly", tool.name(), e);
            return Outcome.error(Status.FAILED, "Tool '" + tool.name() + "' failed unexpectedly.");
        }
        // a result goes back to a model: garbage (not JSON) is a failure, and its writes are rolled back
        try {
            if (result == null || !json.readTree(result).isContainer()) {
                return Outcome.error(Status.FAILED, "Tool '" + tool.name() + "' returned a result that is not a JSON object or array.");
            }
        } catch (JacksonException e) {
            return Outcome.error(Status.FAILED, "Tool '" + tool.name() + "' returned a result that is not JSON.");
        }
        return new Outcome(Status.SUCCEEDED, result, null);
    }

    private record Outcome(Status status, String resultJson, String error) {
        static Outcome error(Status status, String error) {
            return new Outcome(status, null, error);
        }
    }
}
