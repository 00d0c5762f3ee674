package dev.genaiplatform.orchestrator.agent;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Makes each step of a run two things at once: a row on the run's event stream ({@link AgentRunStore#append}) and
 * a span ({@code agent.step}) with the run, the step, its type, tokens and cost, child of the trace that was
 * current when the step ran.
 */
class RunSteps {

    private final AgentRunStore store;
    private final ObservationRegistry observations;

    RunSteps(AgentRunStore store, ObservationRegistry observations) {
        this.store = store;
        this.observations = observations;
    }

    /** Starts the span of a step that takes time (a model call, a tool call); end it with {@link #finish}. */
    Observation start(String runId, String type, String stepId) {
        return Observation.createNotStarted("agent.step", this.observations)
                .contextualName("agent " + type)
                .lowCardinalityKeyValue("agent.step.type", type)
                .highCardinalityKeyValue("agent.run.id", runId)
                .highCardinalityKeyValue("agent.step.id", stepId == null ? "" : stepId)
                .start();
    }

    RunStep finish(Observation span, String runId, String type, String stepId, Map<String, Object> detail,
                   int tokens, BigDecimal costUsd) {
        span.highCardinalityKeyValue("gen_ai.usage.total_tokens", Integer.toString(tokens))
                .highCardinalityKeyValue("agent.cost_usd", costUsd.toPlainString());
        Object status = detail.get("status");
        if (status != null) {
            span.lowCardinalityKeyValue("agent.step.status", status.toString());
        }
        try {
            return this.store.append(runId, type, stepId, detail, tokens, costUsd);
        }
        finally {
            span.stop();
        }
    }

    /** A step without duration of its own: an approval, a reconciliation answer, the run's end. */
    RunStep record(String runId, String type, String stepId, Map<String, Object> detail) {
        return finish(start(runId, type, stepId), runId, type, stepId, detail, 0, BigDecimal.ZERO);
    }
}
