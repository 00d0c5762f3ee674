package dev.genaiplatform.contracts.retrieval;

import java.util.List;

/**
 * The answer to a {@link SearchCommand}.
 *
 * @param requestId    the chat request this search served
 * @param chunks       best first; empty when nothing matched
 * @param tookMillis   time spent searching inside retrieval, for the latency breakdown
 * @param queries      every query that was run (the rewritten one first, then alternatives and later hops), for the
 *                     trace; null from a retrieval that predates it
 * @param rewrittenBy  {@code model} or {@code rules} when the query was rewritten ({@code rules} also when the model
 *                     failed and the rules stood in), null when it was searched as sent
 */
public record SearchResultReply(String requestId, List<RetrievedChunk> chunks, long tookMillis, List<String> queries,
                                String rewrittenBy) {

    /** A reply without the query trace. */
    public SearchResultReply(String requestId, List<RetrievedChunk> chunks, long tookMillis) {
        this(requestId, chunks, tookMillis, null, null);
    }
}
