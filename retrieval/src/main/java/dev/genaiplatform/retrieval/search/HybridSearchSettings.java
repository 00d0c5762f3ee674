package dev.genaiplatform.retrieval.search;

/**
 * How a {@link ChunkIndex} searches (both implementations).
 *
 * @param minCandidates       each leg fetches at least this many candidates
 * @param candidatesPerResult each leg fetches {@code max(minCandidates, candidatesPerResult * topK)}
 * @param rrfK                the k of reciprocal rank fusion
 * @param embeddingBatchSize  texts per call to the embedding model when adding documents
 */
public record HybridSearchSettings(int minCandidates, int candidatesPerResult, int rrfK, int embeddingBatchSize) {

    public int candidates(int topK) {
        return Math.max(minCandidates, candidatesPerResult * topK);
    }
}
