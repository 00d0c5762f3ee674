package dev.genaiplatform.orchestrator.agent;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One step of a run and one event on its stream: a model call, a tool call, an approval, a retry, a
 * reconciliation, or the run's end.
 *
 * @param seq    its position (also the SSE id)
 * @param type   see {@link StepType}
 * @param stepId the loop step it belongs to ({@code step-<n>}), null for run-level events
 * @param detail what happened, type-specific
 * @param tokens model tokens it used
 * @param costUsd model cost it incurred
 */
public record RunStep(long seq, String type, String stepId, Map<String, Object> detail, int tokens,
                      BigDecimal costUsd, Instant at) {
}
