package dev.genaiplatform.retrieval.rerank;

import dev.genaiplatform.retrieval.citation.Provenance;
import dev.genaiplatform.retrieval.search.ChunkIndex;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.springframework.ai.document.Document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The offline re-ranker: a hand-weighted linear score over features of the (query, passage) pair, computed from
 * what the first stage already has, no model call:
 * <ul>
 *   <li>semantic: cosine of query and passage vectors (MiniLM);</li>
 *   <li>coverage: the share of the query's distinct stemmed terms that occur in the passage (BM25 rewards one rare
 *       term a lot; coverage rewards answering all of the question);</li>
 *   <li>proximity: whether two consecutive query terms occur next to each other (phrases: "dead letter");</li>
 *   <li>heading: the share of query terms found in the passage's heading path (a section about the question);</li>
 *   <li>agreement: 1 when both legs found the passage, 0.5 when one did (RRF's insight, kept as a feature).</li>
 * </ul>
 * What it does not do: it does not read query and passage together the way a cross-encoder does, so it cannot tell
 * "A causes B" from "B causes A", negation, or a passage that mentions every term without answering. Its weights are
 * set by hand against the committed golden set, not learned; on another corpus they may be wrong. Measured
 * effect: see the quality baseline in the README.
 */
public final class CrossFeatureReranker implements Reranker {

    /** Feature weights, summing to 1. */
    public record Weights(double semantic, double coverage, double proximity, double heading, double agreement) {
        public static final Weights DEFAULT = new Weights(0.45, 0.25, 0.1, 0.1, 0.1);
    }

    private final Analyzer analyzer = new EnglishAnalyzer();
    private final Weights weights;

    public CrossFeatureReranker(Weights weights) {
        this.weights = weights;
    }

    @Override
    public List<Document> rerank(String query, float[] queryVector, List<Document> candidates, int topK) {
        List<String> queryTerms = terms(query);
        Set<String> distinct = new LinkedHashSet<>(queryTerms);
        List<Scored> scored = new ArrayList<>(candidates.size());
        for (Document candidate : candidates) {
            scored.add(new Scored(candidate, score(queryVector, queryTerms, distinct, candidate)));
        }
        scored.sort(Comparator.comparingDouble(Scored::score).reversed());
        List<Document> result = new ArrayList<>();
        for (Scored s : scored.subList(0, Math.min(topK, scored.size()))) {
            result.add(s.document().mutate().score(s.score()).build());
        }
        return result;
    }

    private record Scored(Document document, double score) {
    }

    double score(float[] queryVector, List<String> queryTerms, Set<String> distinct, Document candidate) {
        List<String> passage = terms(candidate.getText() == null ? "" : candidate.getText());
        Set<String> passageSet = new HashSet<>(passage);
        Set<String> heading = new HashSet<>(terms(String.valueOf(candidate.getMetadata().getOrDefault(Provenance.HEADING, ""))));
        double coverage = distinct.isEmpty() ? 0 : distinct.stream().filter(passageSet::contains).count() / (double) distinct.size();
        double headingShare = distinct.isEmpty() ? 0 : distinct.stream().filter(heading::contains).count() / (double) distinct.size();
        double semantic = candidate.getMetadata().get(ChunkIndex.EMBEDDING) instanceof float[] v && queryVector != null
                ? Math.max(0, dot(queryVector, v)) : 0;
        boolean lexical = candidate.getMetadata().containsKey("lexicalRank");
        boolean vector = candidate.getMetadata().containsKey("vectorRank");
        double agreement = lexical && vector ? 1 : lexical || vector ? 0.5 : 0;
        return weights.semantic() * semantic + weights.coverage() * coverage + weights.proximity() * proximity(queryTerms, passage)
                + weights.heading() * headingShare + weights.agreement() * agreement;
    }

    private static double proximity(List<String> query, List<String> passage) {
        if (query.size() < 2) {
            return 0;
        }
        Set<String> bigrams = new HashSet<>();
        for (int i = 1; i < passage.size(); i++) {
            bigrams.add(passage.get(i - 1) + " " + passage.get(i));
        }
        int found = 0;
        for (int i = 1; i < query.size(); i++) {
            if (bigrams.contains(query.get(i - 1) + " " + query.get(i))) {
                found++;
            }
        }
        return found / (double) (query.size() - 1);
    }

    private List<String> terms(String text) {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("content", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return terms;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
