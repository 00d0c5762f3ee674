package dev.genaiplatform.contracts.retrieval;

import java.util.List;

/**
 * Asks retrieval for the passages that best answer a query.
 *
 * @param requestId the chat request this search serves
 * @param query     the text to search for (already checked and redacted by guardrails)
 * @param topK      how many passages to return at most
 * @param vectorStoreIds the tenant's vector stores to search; empty or null means the tenant's default store
 *                       (the caller's tenant, user and groups come from the verified internal token, never from here)
 * @param conversation the turns before this question, oldest first (null or empty: none); with {@code rewrite} a
 *                     follow-up is made to stand alone with them
 * @param rewrite   rewrite the query (follow-up → standalone, plus alternative phrasings searched together); null
 *                  means the stores' or the service's default
 * @param hops      retrieve → read → retrieve again up to this many times (1 to 3); null or 0 means one search
 * @param queryEmbedding the query's embedding if an earlier step computed it (guardrails' classifier, the semantic
 *                       cache); retrieval uses it only when model and text match its own, else embeds the query
 * @param hyde      also search with a hypothetical answer passage written by a model (HyDE); null means the stores'
 *                  or the service's default
 */
public record SearchCommand(String requestId, String query, int topK, List<String> vectorStoreIds,
                            List<ConversationTurn> conversation, Boolean rewrite, Integer hops,
                            TextEmbedding queryEmbedding, Boolean hyde) {

    /** A search whose HyDE setting is the stores' or the service's default. */
    public SearchCommand(String requestId, String query, int topK, List<String> vectorStoreIds,
                         List<ConversationTurn> conversation, Boolean rewrite, Integer hops,
                         TextEmbedding queryEmbedding) {
        this(requestId, query, topK, vectorStoreIds, conversation, rewrite, hops, queryEmbedding, null);
    }

    /** A search without a precomputed query embedding. */
    public SearchCommand(String requestId, String query, int topK, List<String> vectorStoreIds,
                         List<ConversationTurn> conversation, Boolean rewrite, Integer hops) {
        this(requestId, query, topK, vectorStoreIds, conversation, rewrite, hops, null);
    }

    /** A search of the given stores, as the service's defaults say. */
    public SearchCommand(String requestId, String query, int topK, List<String> vectorStoreIds) {
        this(requestId, query, topK, vectorStoreIds, null, null, null);
    }

    /** A search of the tenant's default store. */
    public SearchCommand(String requestId, String query, int topK) {
        this(requestId, query, topK, List.of());
    }
}
