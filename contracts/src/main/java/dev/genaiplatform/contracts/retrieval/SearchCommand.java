package dev.genaiplatform.contracts.retrieval;

/**
 * Asks retrieval for the passages that best answer a query.
 *
 * @param requestId the chat request this search serves
 * @param query     the text to search for (already checked and redacted by guardrails)
 * @param topK      how many passages to return at most
 * @param vectorStoreIds the tenant's vector stores to search; empty or null means the tenant's default store
 *                       (the caller's tenant, user and groups come from the verified internal token, never from here)
 */
public record SearchCommand(String requestId, String query, int topK, java.util.List<String> vectorStoreIds) {

    /** A search of the tenant's default store. */
    public SearchCommand(String requestId, String query, int topK) {
        this(requestId, query, topK, java.util.List.of());
    }
}
