package dev.genaiplatform.retrieval.rerank;

import dev.genaiplatform.retrieval.search.ChunkIndex;
import org.springframework.ai.document.Document;

import java.util.ArrayList;
import java.util.List;

/**
 * Maximal marginal relevance (Carbonell and Goldstein, 1998) for diversity: picks, one at a time, the candidate with
 * the best {@code λ·relevance − (1−λ)·(max cosine to anything already picked)}. Relevance is the candidate's
 * position in the order it receives (1 for the first, falling linearly), so MMR can follow any first stage.
 * With λ = 1 it changes nothing; with λ = 0.7 a near-copy of a passage already picked (the same paragraph in two
 * documents, two overlapping token windows) gives way to the next different one. Candidates without a vector keep
 * their relevance and never count as similar.
 */
public final class MaximalMarginalRelevance implements Reranker {

    private final double lambda;
    private final Reranker before;

    /** @param before the ranking MMR diversifies (e.g. the cross-feature scorer, or {@link Reranker#NONE}) */
    public MaximalMarginalRelevance(double lambda, Reranker before) {
        if (lambda < 0 || lambda > 1) {
            throw new IllegalArgumentException("lambda must be between 0 and 1");
        }
        this.lambda = lambda;
        this.before = before;
    }

    @Override
    public List<Document> rerank(String query, float[] queryVector, List<Document> candidates, int topK) {
        List<Document> ranked = new ArrayList<>(before.rerank(query, queryVector, candidates, candidates.size()));
        List<Document> picked = new ArrayList<>();
        int n = ranked.size();
        double[] relevance = new double[n];
        for (int i = 0; i < n; i++) {
            relevance[i] = n == 1 ? 1 : 1 - (double) i / (n - 1);
        }
        boolean[] taken = new boolean[n];
        while (picked.size() < Math.min(topK, n)) {
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (taken[i]) {
                    continue;
                }
                double redundancy = 0;
                for (Document chosen : picked) {
                    redundancy = Math.max(redundancy, cosine(ranked.get(i), chosen));
                }
                double score = lambda * relevance[i] - (1 - lambda) * redundancy;
                if (score > bestScore) {
                    bestScore = score;
                    best = i;
                }
            }
            taken[best] = true;
            picked.add(ranked.get(best));
        }
        return picked;
    }

    private static double cosine(Document a, Document b) {
        if (!(a.getMetadata().get(ChunkIndex.EMBEDDING) instanceof float[] x)
                || !(b.getMetadata().get(ChunkIndex.EMBEDDING) instanceof float[] y) || x.length != y.length) {
            return 0;
        }
        double dot = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
        }
        return dot; // unit vectors
    }
}
