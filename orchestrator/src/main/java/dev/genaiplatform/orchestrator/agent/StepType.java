package dev.genaiplatform.orchestrator.agent;

import java.util.Set;

/** The event names on a run's stream ({@link RunStep#type()}). */
final class StepType {

    static final String RUN_STARTED = "run.started";
    static final String MODEL_CALLED = "model.called";
    static final String TOOL_CALLED = "tool.called";
    static final String TOOL_REFUSED = "tool.refused";
    static final String TOOL_RECONCILED = "tool.reconciled";
    static final String TOOL_RETRIED = "tool.retried";
    static final String APPROVAL_REQUESTED = "approval.requested";
    static final String APPROVAL_DECIDED = "approval.decided";
    static final String RUN_RESUMED = "run.resumed";
    static final String RUN_SUCCEEDED = "run.succeeded";
    static final String RUN_FAILED = "run.failed";
    static final String RUN_BUDGET_EXCEEDED = "run.budget_exceeded";
    static final String RUN_DENIED = "run.denied";
    static final String RUN_CANCELLED = "run.cancelled";

    /** After one of these the stream ends. */
    static final Set<String> FINAL = Set.of(RUN_SUCCEEDED, RUN_FAILED, RUN_BUDGET_EXCEEDED, RUN_DENIED, RUN_CANCELLED);

    private StepType() {
    }

    static String finalFor(RunStatus status) {
        return switch (status) {
            case SUCCEEDED -> RUN_SUCCEEDED;
            case BUDGET_EXCEEDED -> RUN_BUDGET_EXCEEDED;
            case DENIED -> RUN_DENIED;
            case CANCELLED -> RUN_CANCELLED;
            default -> RUN_FAILED;
        };
    }
}
