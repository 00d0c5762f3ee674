package dev.genaiplatform.evaluation.scoring;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answer correctness as SQuAD's token F1: the harmonic mean of precision (share of the answer's words found in
 * the reference) and recall (share of the reference's words found in the answer), counting repeated words as
 * often as they occur in both. Cheap, deterministic and offline; blind to meaning: a paraphrase with other
 * words scores low, a fluent wrong answer that reuses the reference's words scores high. Read it as "how much
 * of the expected content the answer says", not as truth.
 */
public final class TokenF1 {

    private TokenF1() {
    }

    /** F1 in [0, 1]; 0 when either text has no words. */
    public static double score(String answer, String reference) {
        List<String> predicted = Words.tokens(answer);
        List<String> expected = Words.tokens(reference);
        if (predicted.isEmpty() || expected.isEmpty()) {
            return 0;
        }
        Map<String, Integer> remaining = new HashMap<>();
        expected.forEach(word -> remaining.merge(word, 1, Integer::sum));
        int common = 0;
        for (String word : predicted) {
            Integer left = remaining.get(word);
            if (left != null && left > 0) {
                remaining.put(word, left - 1);
                common++;
            }
        }
        if (common == 0) {
            return 0;
        }
        double precision = (double) common / predicted.size();
        double recall = (double) common / expected.size();
        return 2 * precision * recall / (precision + recall);
    }
}
