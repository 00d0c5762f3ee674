package dev.genaiplatform.guardrails.moderation;

import dev.genaiplatform.guardrails.injection.InjectionClassifier;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a text per harmful-content category: all-MiniLM-L6-v2 sentence embeddings (the same in-process model as
 * the injection classifier) and one logistic regression per category (one against the rest, benign included),
 * trained in this repository on generated requests ({@code ModerationTrainer}, weights in
 * {@value #WEIGHTS_RESOURCE}). Scored over the injection classifier's overlapping word windows; the highest
 * window wins, per category.
 */
public final class ModerationClassifier {

    public static final String WEIGHTS_RESOURCE = "/moderation/classifier.txt";

    private final EmbeddingModel embeddings;
    private final Map<ModerationCategory, double[]> weights;

    /** @param weights per category: bias first, then one weight per embedding dimension */
    public ModerationClassifier(EmbeddingModel embeddings, Map<ModerationCategory, double[]> weights) {
        this.embeddings = embeddings;
        this.weights = new EnumMap<>(weights);
    }

    /** The shipped weights; one line per category: its name, the bias, then 384 weights. */
    public static ModerationClassifier load(EmbeddingModel embeddings) {
        try (InputStream in = ModerationClassifier.class.getResourceAsStream(WEIGHTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(WEIGHTS_RESOURCE + " is not on the classpath");
            }
            Map<ModerationCategory, double[]> weights = new EnumMap<>(ModerationCategory.class);
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("#") && !line.isBlank())
                    .forEach(line -> {
                        String[] parts = line.trim().split(" ");
                        double[] values = new double[parts.length - 1];
                        for (int i = 1; i < parts.length; i++) {
                            values[i - 1] = Double.parseDouble(parts[i]);
                        }
                        weights.put(ModerationCategory.valueOf(parts[0]), values);
                    });
            return new ModerationClassifier(embeddings, weights);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Per category, the probability in [0, 1] that the text belongs to it; all 0 for a text without words. */
    public Map<ModerationCategory, Double> score(String text) {
        Map<ModerationCategory, Double> best = new EnumMap<>(ModerationCategory.class);
        weights.keySet().forEach(category -> best.put(category, 0.0));
        List<String> windows = InjectionClassifier.windows(text);
        if (windows.isEmpty()) {
            return best;
        }
        for (var embedding : embeddings.embedAll(windows.stream().map(TextSegment::from).toList()).content()) {
            float[] features = embedding.vector();
            weights.forEach((category, w) -> best.merge(category, probability(w, features), Math::max));
        }
        return best;
    }

    static double probability(double[] biasAndWeights, float[] features) {
        double z = biasAndWeights[0];
        for (int i = 0; i < features.length && i + 1 < biasAndWeights.length; i++) {
            z += biasAndWeights[i + 1] * features[i];
        }
        return 1 / (1 + Math.exp(-z));
    }
}
