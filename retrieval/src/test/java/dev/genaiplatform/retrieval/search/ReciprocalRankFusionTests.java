package dev.genaiplatform.retrieval.search;

import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReciprocalRankFusionTests {

    private static final int K = 60;

    @Test
    void scoresEachDocumentWithTheSumOfOneOverKPlusRank() {
        TopDocs lexical = ranking(7, 3, 9);   // doc 7 first, 3 second, 9 third
        TopDocs semantic = ranking(3, 5);     // doc 3 first, 5 second

        TopDocs fused = ReciprocalRankFusion.fuse(10, K, lexical, semantic);

        assertThat(docs(fused)).containsExactly(3, 7, 5, 9);
        assertThat(score(fused, 3)).isCloseTo(1.0 / (K + 2) + 1.0 / (K + 1), within(1e-6));
        assertThat(score(fused, 7)).isCloseTo(1.0 / (K + 1), within(1e-6));
        assertThat(score(fused, 5)).isCloseTo(1.0 / (K + 2), within(1e-6));
        assertThat(score(fused, 9)).isCloseTo(1.0 / (K + 3), within(1e-6));
    }

    @Test
    void aDocumentBothLegsFoundBeatsOneThatOnlyOneLegRankedFirst() {
        TopDocs lexical = ranking(1, 2, 3, 4, 5, 42);
        TopDocs semantic = ranking(6, 7, 8, 9, 10, 42);

        TopDocs fused = ReciprocalRankFusion.fuse(3, K, lexical, semantic);

        assertThat(docs(fused)[0]).isEqualTo(42);
    }

    @Test
    void cutsToTopNAndToleratesAnEmptyLeg() {
        TopDocs lexical = ranking();
        TopDocs semantic = ranking(4, 5, 6, 7);

        TopDocs fused = ReciprocalRankFusion.fuse(2, K, lexical, semantic);

        assertThat(docs(fused)).containsExactly(4, 5);
        assertThat(docs(ReciprocalRankFusion.fuse(5, K, ranking(), ranking()))).isEmpty();
    }

    private static TopDocs ranking(int... docs) {
        ScoreDoc[] hits = new ScoreDoc[docs.length];
        for (int i = 0; i < docs.length; i++) {
            hits[i] = new ScoreDoc(docs[i], docs.length - i); // the raw scores do not matter, only the order
        }
        return new TopDocs(new TotalHits(docs.length, TotalHits.Relation.EQUAL_TO), hits);
    }

    private static int[] docs(TopDocs topDocs) {
        return Arrays.stream(topDocs.scoreDocs).mapToInt(hit -> hit.doc).toArray();
    }

    private static double score(TopDocs topDocs, int doc) {
        return Arrays.stream(topDocs.scoreDocs).filter(hit -> hit.doc == doc).findFirst().orElseThrow().score;
    }
}
