package dev.genaiplatform.retrieval.search;

import org.apache.lucene.search.TopDocs;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): a document's fused score is
 * {@code sum over rankings of 1 / (k + rank)}, rank counted from 1, a ranking that missed it adding nothing.
 *
 * <p>Why ranks and not scores: a BM25 score (unbounded, corpus-dependent) and a cosine similarity are on
 * different scales, and any weighting between them would need tuning per corpus. Ranks need none. A document
 * both legs found beats one that only a single leg put first; k (60 by default) damps how much rank 1 is worth
 * over rank 5.
 *
 * <p>This delegates to Lucene's {@link TopDocs#rrf(int, int, TopDocs[])} (10.2+), which computes exactly that;
 * the class exists to give the formula a name and a test.
 */
final class ReciprocalRankFusion {

    private ReciprocalRankFusion() {
    }

    /** The best {@code topN} documents of the fused rankings, best first. Ties keep no particular order. */
    static TopDocs fuse(int topN, int k, TopDocs... rankings) {
        return TopDocs.rrf(topN, k, rankings);
    }
}
