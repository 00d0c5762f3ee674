package dev.genaiplatform.retrieval.rewrite;

import dev.genaiplatform.contracts.retrieval.ConversationTurn;

import java.util.List;

/**
 * Turns what a user typed into what to search for (guide 2.2, query rewriting): a follow-up made to stand alone with
 * the conversation before it, and a few alternative phrasings searched together so one unlucky wording does not
 * decide recall. Never throws: a rewriter that cannot do better returns the query unchanged.
 */
public interface QueryRewriter {

    /**
     * @param query        the question as sent (not blank)
     * @param conversation the turns before it, oldest first; may be empty
     */
    QueryRewrite rewrite(String query, List<ConversationTurn> conversation);
}
