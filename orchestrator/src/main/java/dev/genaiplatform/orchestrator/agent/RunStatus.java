package dev.genaiplatform.orchestrator.agent;

/** Where a run stands. Every status but the first two is final. */
public enum RunStatus {
    RUNNING,
    /** Parked: a tool call waits for a human decision; nothing runs, the run survives restarts. */
    WAITING_APPROVAL,
    SUCCEEDED,
    /** The model, a tool, or the platform failed; {@code error} says which. */
    FAILED,
    /** A step, token, cost or wall-time limit was reached before the goal. */
    BUDGET_EXCEEDED,
    /** A human denied a tool call the run needed; the tool did not run. */
    DENIED,
    CANCELLED;

    public boolean terminal() {
        return this != RUNNING && this != WAITING_APPROVAL;
    }
}
