package dev.genaiplatform.orchestrator.prompt;

/**
 * Even with every older turn dropped, the latest message does not fit into the prompt budget.
 * The client has to shorten it: a 400, not something a retry fixes.
 */
public class PromptTooLongException extends RuntimeException {

    public PromptTooLongException(int neededTokens, int maxPromptTokens) {
        super("The conversation needs about " + neededTokens + " prompt tokens even after dropping older turns; "
                + "the limit is " + maxPromptTokens + ". Shorten the last message.");
    }
}
