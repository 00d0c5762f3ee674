package dev.genaiplatform.evaluation.runs;

import java.time.Instant;
import java.util.UUID;

/**
 * A run as the API shows it.
 *
 * @param id             run id
 * @param set            golden set name
 * @param setVersion     its version
 * @param inlineSet      whether the set was sent in the request (then no committed baseline applies)
 * @param model          model asked
 * @param experimentArm  forced arm, or null
 * @param repetitions    times each case was asked
 * @param status         {@code QUEUED}, {@code RUNNING}, {@code SUCCEEDED}, {@code FAILED}
 * @param totalCalls     cases × repetitions
 * @param completedCalls answers scored so far
 * @param summary        the metrics, once succeeded
 * @param error          why it failed
 * @param createdAt      accepted at
 * @param finishedAt     finished at
 */
public record RunView(UUID id, String set, int setVersion, boolean inlineSet, String model, String experimentArm, int repetitions, String status,
                      int totalCalls, int completedCalls, RunSummary summary, String error, Instant createdAt,
                      Instant finishedAt) {
}
