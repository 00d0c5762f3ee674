package dev.genaiplatform.orchestrator.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What becomes of a run whose process died while it was {@code RUNNING} (not parked for a human): it is ended
 * {@code FAILED} with {@code error.code: interrupted}, never resumed. Resuming would need a token to act with, and
 * none survives the process (a stored token would be a credential at rest; see "Which token a resumed run acts
 * with"); a parked run is different, because the human's approval brings a fresh token.
 *
 * <p>How a dead run is told from a live one on another instance: each instance writes a heartbeat every
 * {@code heartbeat-interval} for the runs its loop is working on; any instance ends a {@code RUNNING} run whose
 * heartbeat (or last update) is older than {@code stale-after}, at start-up and then on every beat. The status change
 * is conditional, so two instances end a run once; a loop that wakes up after its run was ended finds it no longer
 * {@code RUNNING} and stops (every save is conditional on the status).
 *
 * <p>Side effects: a tool call the dead process had sent stays in tools-agent's ledger under its idempotency key; a
 * new run gets new keys, so nothing is repeated by this, and nothing is retried. The ended run names those calls and
 * their keys (message and {@code run.failed} step), so a reader can look up their real outcome in the ledger.
 */
final class InterruptedRuns implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InterruptedRuns.class);

    /**
     * Under {@code platform.orchestrator.agent.recovery}.
     *
     * @param heartbeatInterval how often an instance vouches for the runs it works on
     * @param staleAfter        a RUNNING run without a heartbeat this long is taken as dead; keep it several
     *                          heartbeats long, so a busy database or a long GC pause does not end a live run
     */
    @ConfigurationProperties("platform.orchestrator.agent.recovery")
    record Settings(@DefaultValue("10s") Duration heartbeatInterval, @DefaultValue("60s") Duration staleAfter) {

        Settings {
            if (staleAfter.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException(
                        "platform.orchestrator.agent.recovery.stale-after must be at least two heartbeat intervals");
            }
        }
    }

    private final AgentRunStore store;
    private final AgentLoop loop;
    private final RunSteps steps;
    private final Settings settings;
    private ScheduledExecutorService timer;

    InterruptedRuns(AgentRunStore store, AgentLoop loop, RunSteps steps, Settings settings) {
        this.store = store;
        this.loop = loop;
        this.steps = steps;
        this.settings = settings;
    }

    /** One beat: vouch for this instance's runs, then end the runs nobody vouches for. */
    void beat() {
        this.store.heartbeat(this.loop.activeRuns());
        List<String> silent = this.store.silentRunning(this.settings.staleAfter());
        for (String runId : silent) {
            if (this.loop.activeRuns().contains(runId)) {
                continue;   // ours and alive (its heartbeat was written a moment ago)
            }
            List<Map<String, String>> inFlight = inFlightToolCalls(runId);
            boolean ended = this.store.inTransaction(() -> {
                if (!this.store.transition(runId, List.of(RunStatus.RUNNING), RunStatus.FAILED, "interrupted",
                        "The orchestrator working on this run stopped; no token survives a restart, so the run "
                                + "cannot go on. Start a new run." + inFlightNote(inFlight), null)) {
                    return false;
                }
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("status", "FAILED");
                detail.put("error", "interrupted");
                detail.put("silentFor", ">" + this.settings.staleAfter().toSeconds() + "s");
                detail.put("inFlightToolCalls", inFlight);
                this.steps.record(runId, StepType.RUN_FAILED, null, detail);
                return true;
            });
            if (ended) {
                log.warn("Run {} was RUNNING without a heartbeat for over {} s: ended FAILED (interrupted)", runId,
                        this.settings.staleAfter().toSeconds());
            }
        }
    }

    /**
     * The tool calls the model had asked for and the dead process had not seen answered: each may have run in
     * tools-agent. Without a token this instance cannot ask what became of them, so the run names them by idempotency
     * key; whoever reads the run asks tools-agent's ledger ({@code GET /api/tools/calls/{key}}) with their own token.
     */
    private List<Map<String, String>> inFlightToolCalls(String runId) {
        return this.store.find(runId).map(run -> run.transcript().unansweredCalls().stream()
                .map(call -> Map.of("tool", call.name(), "idempotencyKey", runId + ":" + call.stepId() + ":" + call.id()))
                .toList()).orElse(List.of());
    }

    private static String inFlightNote(List<Map<String, String>> inFlight) {
        if (inFlight.isEmpty()) {
            return "";
        }
        return " Tool call(s) in flight when it stopped, not resent: " + inFlight.stream()
                .map(call -> call.get("tool") + " (idempotency key " + call.get("idempotencyKey") + ")").toList()
                + "; what became of each is in tools-agent's ledger: GET /api/tools/calls/{key}.";
    }

    @Override
    public void start() {
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("agent-heartbeat").factory());
        long period = this.settings.heartbeatInterval().toMillis();
        this.timer.scheduleWithFixedDelay(() -> {
            try {
                beat();
            }
            catch (RuntimeException failure) {
                log.warn("Agent run heartbeat failed: {}", failure.getMessage());
            }
        }, 0, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (this.timer != null) {
            this.timer.shutdownNow();
            this.timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return this.timer != null;
    }
}
