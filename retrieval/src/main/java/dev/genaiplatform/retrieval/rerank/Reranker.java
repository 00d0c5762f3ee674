package dev.genaiplatform.retrieval.rerank;

import org.springframework.ai.document.Document;

import java.util.List;

/**
 * A second ranking stage over the fused candidates of hybrid search: reorders (and cuts to {@code topK}) what the
 * first stage found. It never adds candidates, so it cannot see past the access filter of the first stage.
 */
public interface Reranker {

    /**
     * @param query       the user's query
     * @param queryVector its unit embedding
     * @param candidates  best first per the first stage; metadata may hold {@code embedding} (float[]) and the
     *                    legs' ranks
     */
    List<Document> rerank(String query, float[] queryVector, List<Document> candidates, int topK);

    /** First-stage order, cut to topK. */
    Reranker NONE = (query, queryVector, candidates, topK) -> candidates.subList(0, Math.min(topK, candidates.size()));
}
