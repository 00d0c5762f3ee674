package dev.genaiplatform.orchestrator.citation;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;

import java.util.List;

/**
 * Decides whether an answer counts as answered. The prompt tells the model to cite every sentence it takes
 * from a passage and to say it does not know otherwise, so an answer that cites no passage is treated as
 * "no answer": either the model admitted it, or it answered from its own memory, which a grounded
 * assistant must not do. Both are worth counting separately from real answers.
 */
public final class GroundingCheck {

    private GroundingCheck() {
    }

    /** {@code ANSWERED} when the answer cites at least one passage of the prompt, else {@code NO_ANSWER}. */
    public static Outcome outcomeOf(List<Citation> citations) {
        return citations.isEmpty() ? Outcome.NO_ANSWER : Outcome.ANSWERED;
    }
}
