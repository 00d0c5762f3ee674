package dev.genaiplatform.guardrails.injection;

import dev.genaiplatform.guardrails.detection.MiniLm;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores how much a text reads like a prompt injection: all-MiniLM-L6-v2 sentence embeddings (int8 ONNX, shipped
 * in langchain4j's jar, run in process) and a {@link ScoringHead} trained in this repository (weights in
 * {@code injection/classifier.txt}, the training command in the README).
 *
 * <p>MiniLM reads about 256 tokens, so an instruction hidden after a long harmless text would vanish in one
 * embedding: the text is scored over overlapping windows of {@value #WINDOW_WORDS} words (step
 * {@value #STEP_WORDS}) and the highest window wins. At most {@value #MAX_WINDOWS} windows are scored; a longer
 * text is covered by spreading them out, so parts of it between windows go unread by the classifier (the rules
 * still read all of it).
 */
public final class InjectionClassifier {

    static {
        // before DJL (the tokenizer) loads: no telemetry probe, no downloads
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("DJL_OFFLINE", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    public static final String WEIGHTS_RESOURCE = "/injection/classifier.txt";
    static final int WINDOW_WORDS = 64;
    static final int STEP_WORDS = 32;
    static final int MAX_WINDOWS = 24;

    private final EmbeddingModel embeddings;
    private final ScoringHead head;

    public InjectionClassifier(EmbeddingModel embeddings, ScoringHead head) {
        this.embeddings = embeddings;
        this.head = head;
    }

    /** A logistic regression head (training and tests). */
    public InjectionClassifier(EmbeddingModel embeddings, double[] weights, double bias) {
        this(embeddings, new ScoringHead.Linear(weights, bias));
    }

    /** The shipped model, with its own MiniLM. */
    public static InjectionClassifier load() {
        return load(new MiniLm());
    }

    /** The shipped weights over an embedding model shared with other classifiers (it must be all-MiniLM-L6-v2). */
    public static InjectionClassifier load(EmbeddingModel embeddings) {
        try (InputStream in = InjectionClassifier.class.getResourceAsStream(WEIGHTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(WEIGHTS_RESOURCE + " is not on the classpath");
            }
            return new InjectionClassifier(embeddings, ScoringHead.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The probability in [0, 1] that the text is an injection: the highest over its windows; 0 for no words. */
    public double score(String text) {
        List<String> windows = windows(text);
        if (windows.isEmpty()) {
            return 0;
        }
        double best = 0;
        for (var embedding : embeddings.embedAll(windows.stream().map(TextSegment::from).toList()).content()) {
            best = Math.max(best, probability(embedding.vector()));
        }
        return best;
    }

    double probability(float[] features) {
        return head.probability(features);
    }

    /** The embedding of one window, for training. */
    public float[] embed(String text) {
        return embeddings.embed(text).content().vector();
    }

    /** Overlapping word windows covering the text, at most {@value #MAX_WINDOWS}. */
    public static List<String> windows(String text) {
        String[] words = text.trim().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            return List.of();
        }
        if (words.length <= WINDOW_WORDS) {
            return List.of(String.join(" ", words));
        }
        int step = Math.max(STEP_WORDS, (int) Math.ceil((words.length - WINDOW_WORDS) / (double) (MAX_WINDOWS - 1)));
        List<String> windows = new ArrayList<>();
        for (int from = 0; ; from += step) {
            int to = Math.min(words.length, from + WINDOW_WORDS);
            windows.add(String.join(" ", java.util.Arrays.copyOfRange(words, from, to)));
            if (to == words.length) {
                return windows;
            }
        }
    }
}
