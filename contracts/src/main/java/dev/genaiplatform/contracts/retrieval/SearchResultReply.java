package dev.genaiplatform.contracts.retrieval;

import java.util.List;

/**
 * The answer to a {@link SearchCommand}.
 *
 * @param requestId    the chat request this search served
 * @param chunks       best first; empty when nothing matched
 * @param tookMillis   time spent searching inside retrieval, for the latency breakdown
 */
public record SearchResultReply(String requestId, List<RetrievedChunk> chunks, long tookMillis) {
}
