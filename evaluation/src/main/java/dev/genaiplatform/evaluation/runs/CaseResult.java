package dev.genaiplatform.evaluation.runs;

import java.util.List;

/**
 * One scored answer: a case, answered once. Metrics that do not apply to the case's kind are null (a refusal
 * case has no correctness; an answer case has no tool accuracy), so means are taken over the cases they apply to.
 *
 * @param caseId              the golden case
 * @param kind                {@code answer}, {@code refuse}, {@code tool-call}
 * @param repetition          0-based
 * @param status              HTTP status of the answer
 * @param completionId        the platform's completion id, to find its event and feedback
 * @param refused             whether the platform declined (blocked, or said it does not know)
 * @param refusalCorrect      refused exactly when the case expects a refusal
 * @param correctness         token F1 against the reference (answer cases that were answered; 0 when refused)
 * @param citationPrecision   see {@code CitationScore}; null when nothing was cited
 * @param citationRecall      see {@code CitationScore}
 * @param groundedness        supported sentences / judged sentences; null when nothing could be judged
 * @param toolCorrect         right tool with the expected arguments (tool-call cases)
 * @param quality             the per-case score the regression gate compares, in [0, 1] (see {@code CaseScorer})
 * @param latencyMillis       client-measured
 * @param promptTokens        usage
 * @param completionTokens    usage
 * @param costUsd             usage at the configured price of the model; null when the model has no price
 * @param answer              the answer text (abbreviated) or the error, for the report
 * @param unsupportedSentences the sentences groundedness found unsupported
 * @param notes               why the case lost points, in words, for the report
 * @param judgeGroundedness   the LLM judge's groundedness, when a judge is configured; else null
 */
public record CaseResult(String caseId, String kind, int repetition, int status, String completionId,
                         boolean refused, boolean refusalCorrect, Double correctness, Double citationPrecision,
                         Double citationRecall, Double groundedness, Double toolCorrect, double quality,
                         long latencyMillis, int promptTokens, int completionTokens, Double costUsd, String answer,
                         List<String> unsupportedSentences, List<String> notes, Double judgeGroundedness) {
}
