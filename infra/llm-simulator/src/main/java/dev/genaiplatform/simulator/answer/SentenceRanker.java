package dev.genaiplatform.simulator.answer;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranks candidate sentences against a question with BM25, treating each sentence as a document: a word
 * that appears in few sentences (high idf) counts for more than one that appears everywhere. A sentence
 * qualifies only if it holds enough of the question: the idf-weighted share of the question's distinct
 * terms it contains must reach {@code minRelevance}. Ties go to the earlier sentence, so the result never
 * depends on anything but the input.
 */
final class SentenceRanker {

    private static final double K1 = 1.2;
    private static final double B = 0.75;

    /** A sentence that may be quoted; {@code ordinal} is its position across all passages. */
    record Candidate(int passage, String source, int ordinal, String text, List<String> terms) {
    }

    record Ranked(Candidate candidate, double score, double relevance) {
    }

    private SentenceRanker() {
    }

    /** The best {@code max} candidates that reach {@code minRelevance}, best first. */
    static List<Ranked> best(List<String> questionTerms, List<Candidate> candidates, int max, double minRelevance) {
        Set<String> query = new LinkedHashSet<>(questionTerms);
        if (query.isEmpty() || candidates.isEmpty()) {
            return List.of();
        }
        Map<String, Integer> documentFrequency = new HashMap<>();
        double totalLength = 0;
        for (Candidate c : candidates) {
            for (String term : new LinkedHashSet<>(c.terms())) {
                documentFrequency.merge(term, 1, Integer::sum);
            }
            totalLength += c.terms().size();
        }
        int n = candidates.size();
        double averageLength = Math.max(1, totalLength / n);
        Map<String, Double> idf = new HashMap<>();
        double queryWeight = 0;
        for (String term : query) {
            int df = documentFrequency.getOrDefault(term, 0);
            double weight = Math.log(1 + (n - df + 0.5) / (df + 0.5));
            idf.put(term, weight);
            queryWeight += weight;
        }

        double total = queryWeight;
        return candidates.stream()
                .map(c -> rank(c, query, idf, total, averageLength))
                .filter(r -> r.score() > 0 && r.relevance() >= minRelevance)
                .sorted(Comparator.comparingDouble(Ranked::score).reversed()
                        .thenComparingInt(r -> r.candidate().ordinal()))
                .limit(max)
                .toList();
    }

    private static Ranked rank(Candidate c, Set<String> query, Map<String, Double> idf, double queryWeight,
                               double averageLength) {
        Map<String, Integer> frequency = new HashMap<>();
        for (String term : c.terms()) {
            frequency.merge(term, 1, Integer::sum);
        }
        double lengthNorm = K1 * (1 - B + B * c.terms().size() / averageLength);
        double score = 0;
        double matchedWeight = 0;
        for (String term : query) {
            int tf = frequency.getOrDefault(term, 0);
            if (tf > 0) {
                score += idf.get(term) * tf * (K1 + 1) / (tf + lengthNorm);
                matchedWeight += idf.get(term);
            }
        }
        return new Ranked(c, score, matchedWeight / queryWeight);
    }
}
