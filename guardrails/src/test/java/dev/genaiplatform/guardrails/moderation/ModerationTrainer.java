package dev.genaiplatform.guardrails.moderation;

import dev.genaiplatform.guardrails.injection.InjectionCorpus;
import dev.genaiplatform.guardrails.injection.LogisticRegression;
import dev.genaiplatform.guardrails.injection.NormalisedText;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains the moderation classifier and writes what ships: {@code src/main/resources/moderation/classifier.txt}
 * (one logistic regression per category, one against the rest, over MiniLM embeddings of normalised text) and
 * the held-out set {@code src/test/resources/moderation/held-out.csv}. Then measures on that set. A {@code main},
 * run by hand from the repository root (README); deterministic for the seed, under a minute on 2 cores.
 *
 * <p>Training: {@link ModerationCorpus#training} (harmful families not held out, benign templates not held out)
 * plus, as non-harmful examples, the injection generator's attacks and benign prompts (an injection is not
 * harmful content, and its questions, documents and role-play widen the benign side). Held out, with another
 * seed: a whole unseen family per harmful category, every fourth benign template, and fresh benign prompts of
 * the injection generator.
 */
public final class ModerationTrainer {

    static final long SEED = 20261206L;
    static final int PER_TEMPLATE = 12;

    public static void main(String[] args) throws IOException {
        System.setProperty("DJL_OFFLINE", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        long started = System.nanoTime();
        var model = new AllMiniLmL6V2QuantizedEmbeddingModel();

        List<ModerationCorpus.Example> train = new ArrayList<>(new ModerationCorpus(SEED).training(PER_TEMPLATE));
        for (InjectionCorpus.Example example : new InjectionCorpus(SEED).generate(40, 700)) {
            train.add(new ModerationCorpus.Example(example.text(), ModerationCorpus.BENIGN, "injection-corpus"));
        }
        List<ModerationCorpus.Example> heldOut = new ArrayList<>(new ModerationCorpus(SEED + 1).heldOut(8));
        for (InjectionCorpus.Example example : new InjectionCorpus(SEED + 1).generate(0, 200)) {
            heldOut.add(new ModerationCorpus.Example(example.text(), ModerationCorpus.BENIGN, "fresh-" + example.family()));
        }
        writeHeldOut(heldOut, Path.of("guardrails/src/test/resources/moderation/held-out.csv"));

        List<float[]> features = train.stream()
                .map(example -> model.embed(NormalisedText.of(example.text()).text()).content().vector()).toList();
        System.out.printf(Locale.ROOT, "embedded %d training rows in %d s%n", train.size(),
                (System.nanoTime() - started) / 1_000_000_000L);

        Map<ModerationCategory, double[]> weights = new EnumMap<>(ModerationCategory.class);
        for (ModerationCategory category : ModerationCategory.values()) {
            List<Boolean> labels = train.stream().map(example -> example.label().equals(category.name())).toList();
            LogisticRegression regression = LogisticRegression.train(features, labels);
            double[] biasAndWeights = new double[regression.weights.length + 1];
            biasAndWeights[0] = regression.bias;
            System.arraycopy(regression.weights, 0, biasAndWeights, 1, regression.weights.length);
            weights.put(category, biasAndWeights);
        }
        writeWeights(weights, train.size(), Path.of("guardrails/src/main/resources/moderation/classifier.txt"));
        System.out.printf(Locale.ROOT, "trained in %d s%n%n", (System.nanoTime() - started) / 1_000_000_000L);

        var detector = new ModerationDetector(new ModerationClassifier(model, weights), null);
        List<ModerationDetector.Assessment> assessments = heldOut.stream().map(row -> detector.assess(row.text())).toList();
        ModerationEvaluation.print(heldOut, assessments, 0.5);
    }

    private static void writeHeldOut(List<ModerationCorpus.Example> rows, Path path) throws IOException {
        Files.createDirectories(path.getParent());
        try (Writer out = Files.newBufferedWriter(path)) {
            out.write("label\tfamily\ttext\n");
            for (ModerationCorpus.Example row : rows) {
                out.write(row.label() + "\t" + row.family() + "\t" + row.text().replace('\t', ' ').replace('\n', ' ') + "\n");
            }
        }
    }

    private static void writeWeights(Map<ModerationCategory, double[]> weights, int rows, Path path) throws IOException {
        Files.createDirectories(path.getParent());
        try (Writer out = Files.newBufferedWriter(path)) {
            out.write("# Moderation: one logistic regression per category (one against the rest) over all-MiniLM-L6-v2 (int8)\n");
            out.write("# embeddings of normalised text. Trained by ModerationTrainer (seed " + SEED + ", " + rows
                    + " rows). Per line: category, bias, 384 weights.\n");
            for (Map.Entry<ModerationCategory, double[]> entry : weights.entrySet()) {
                StringBuilder line = new StringBuilder(entry.getKey().name());
                for (double value : entry.getValue()) {
                    line.append(' ').append(String.format(Locale.ROOT, "%.6f", value));
                }
                out.write(line + "\n");
            }
        }
    }
}
