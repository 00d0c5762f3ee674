package dev.genaiplatform.contracts.retrieval;

/**
 * Asks retrieval for the passages that best answer a query.
 *
 * @param requestId the chat request this search serves
 * @param query     the text to search for (already checked and redacted by guardrails)
 * @param topK      how many passages to return at most
 */
public record SearchCommand(String requestId, String query, int topK) {
}
