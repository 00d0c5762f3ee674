package dev.genaiplatform.orchestrator.answer;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When the orchestrator answers without asking the model, under {@code platform.orchestrator.answer-kinds}.
 *
 * @param abstain when nothing retrieved supports an answer, say so instead of calling the model
 * @param clarify when the request is ambiguous, ask which meaning is meant instead of guessing
 */
@ConfigurationProperties("platform.orchestrator.answer-kinds")
public record AnswerKindSettings(@DefaultValue Abstain abstain, @DefaultValue Clarify clarify) {

    /**
     * @param enabled      {@code answer-kinds.abstain.enabled} (env {@code ABSTAIN_ENABLED})
     * @param minRelevance the share of the question's content words that the best passage must contain; below it
     *                     (or with no passage at all) the answer is {@code abstained} and no model is called
     * @param message      what the user reads then (the same sentence the grounded prompt asks the model to say)
     */
    public record Abstain(@DefaultValue("true") boolean enabled, @DefaultValue("0.2") double minRelevance,
                          @DefaultValue("I don't know. The provided context does not answer that question.")
                          String message) {

        public Abstain {
            if (minRelevance < 0 || minRelevance > 1) {
                throw new IllegalArgumentException("platform.orchestrator.answer-kinds.abstain.min-relevance must be in [0, 1]");
            }
        }
    }

    /**
     * @param enabled         {@code answer-kinds.clarify.enabled} (env {@code CLARIFY_ENABLED})
     * @param maxContentTerms a request with at most this many content words counts as short
     * @param scoreMargin     two passages whose retrieval scores differ by at most this fraction of the best score
     *                        are "equally good" (scores are compared only within one result, never to a constant)
     * @param maxOptions      how many meanings the question offers at most
     */
    public record Clarify(@DefaultValue("true") boolean enabled, @DefaultValue("2") int maxContentTerms,
                          @DefaultValue("0.1") double scoreMargin, @DefaultValue("3") int maxOptions) {
    }
}
