package dev.genaiplatform.retrieval.search;

import dev.genaiplatform.retrieval.citation.Provenance;
import org.springframework.ai.document.Document;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * Freshness as a ranking signal (optional): each passage's score is multiplied by {@code 0.5 + 0.5 × 2^(-age / halfLife)},
 * its age counted from when its file version was indexed ({@code asOf}). A passage indexed just now keeps its score,
 * one a half-life old keeps 75 %, a very old one never less than half: age can reorder passages of similar relevance
 * but never bury a clearly better one. Passages without an {@code asOf} are treated as new.
 */
public final class RecencyBoost {

    private final Duration halfLife;
    private final Clock clock;

    public RecencyBoost(Duration halfLife, Clock clock) {
        if (halfLife == null || halfLife.isZero() || halfLife.isNegative()) {
            throw new IllegalArgumentException("the recency half-life must be positive");
        }
        this.halfLife = halfLife;
        this.clock = clock;
    }

    /** The passages re-scored and re-sorted, best first, cut to {@code topK}. */
    public List<Document> apply(List<Document> ranked, int topK) {
        long now = clock.millis();
        return ranked.stream()
                .map(document -> document.mutate().score(score(document) * factor(document, now)).build())
                .sorted(Comparator.comparingDouble(RecencyBoost::score).reversed())
                .limit(topK).toList();
    }

    double factor(Document document, long now) {
        if (!(document.getMetadata().get(Provenance.AS_OF) instanceof Number asOf)) {
            return 1.0;
        }
        double halfLives = Math.max(0, now - asOf.longValue()) / (double) halfLife.toMillis();
        return 0.5 + 0.5 * Math.pow(2, -halfLives);
    }

    private static double score(Document document) {
        return document.getScore() == null ? 0.0 : document.getScore();
    }
}
