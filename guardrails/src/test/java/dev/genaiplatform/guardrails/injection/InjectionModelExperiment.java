package dev.genaiplatform.guardrails.injection;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One question, measured in one run on the same rows: does a different classifier over the same MiniLM
 * embeddings raise family-held-out TPR at 1 % / 2 % FPR? Candidates side by side: the previous wave's logistic
 * regression, a small two-layer network (two seeds), the mean of both (what {@link InjectionTrainer#fit} ships), and
 * the logistic regression and the mean trained with benign contact-detail prompts as well (one fifth of those
 * prompts are test negatives for every candidate).
 * Same splits as {@link InjectionTrainer} (train without a family, test its attacks against held-out benign
 * prompts). Ships nothing. A {@code main}, run by hand (README); embeddings are cached in
 * {@code target/injection-rows.bin} so a rerun costs seconds.
 */
public final class InjectionModelExperiment {

    /** Candidates whose name starts so are trained with the benign contact-detail prompts too. */
    private static final String CONTACT = "+ contact-detail negatives: ";

    /** A scorer trained on rows, scoring one row. */
    interface Candidate extends Function<List<InjectionTrainer.Row>, Function<InjectionTrainer.Row, Double>> {
    }

    public static void main(String[] args) throws Exception {
        Map<String, List<InjectionTrainer.Row>> data = rows();
        List<InjectionTrainer.Row> generated = data.get("generated");
        List<InjectionTrainer.Row> benign = generated.stream().filter(row -> !row.attack()).toList();
        List<InjectionTrainer.Row> benignTrain = benign.subList(0, benign.size() * 4 / 5);
        List<InjectionTrainer.Row> benignTest = new ArrayList<>(benign.subList(benign.size() * 4 / 5, benign.size()));
        benignTest.addAll(data.get("devNormal"));
        List<InjectionTrainer.Row> contact = data.get("contact");
        List<InjectionTrainer.Row> contactTrain = contact.subList(0, contact.size() * 4 / 5);
        benignTest.addAll(contact.subList(contact.size() * 4 / 5, contact.size())); // every candidate meets them in test
        List<InjectionTrainer.Row> attacks = Stream.concat(generated.stream().filter(InjectionTrainer.Row::attack),
                data.get("devAttacks").stream()).toList();
        List<String> families = attacks.stream().map(InjectionTrainer.Row::family).distinct().sorted().toList();
        PromptInjectionDetector rules = new PromptInjectionDetector(null);

        Map<String, Candidate> candidates = new LinkedHashMap<>();
        candidates.put("logistic regression (shipped)", train -> {
            LogisticRegression model = InjectionTrainer.fitLinear(train);
            return row -> model.probability(row.features());
        });
        candidates.put("two-layer, 16 hidden", network(16, InjectionTrainer.SEED, TwoLayerNetwork.L2));
        candidates.put("two-layer, 16 hidden, other seed", network(16, InjectionTrainer.SEED + 1, TwoLayerNetwork.L2));
        Candidate mean = train -> {
            ScoringHead head = InjectionTrainer.fit(train);
            return row -> head.probability(row.features());
        };
        candidates.put("mean of logistic regression and two-layer", mean);
        candidates.put(CONTACT + "logistic regression", candidates.get("logistic regression (shipped)"));
        candidates.put(CONTACT + "mean (shipped now: InjectionTrainer)", mean);

        System.out.printf(Locale.ROOT, "%d attacks in %d families, %d benign train, %d benign test%n%n", attacks.size(),
                families.size(), benignTrain.size(), benignTest.size());
        System.out.println("benign test rows any rule fires on:");
        benignTest.stream().filter(row -> !rules.assess(row.text()).spans().isEmpty())
                .forEach(row -> System.out.println("  [" + row.family() + "] " + row.text().replace('\n', ' ')));
        System.out.println();
        StringBuilder header = new StringBuilder("| held-out family, TPR @ FPR 1 % / 2 % |");
        candidates.keySet().forEach(name -> header.append(' ').append(name).append(" |"));
        System.out.println(header);
        System.out.println("|---|" + "---|".repeat(candidates.size()));
        double[][] macro = new double[candidates.size()][2];
        List<List<double[]>> pooled = new ArrayList<>();
        candidates.keySet().forEach(name -> pooled.add(new ArrayList<>()));
        for (String family : families) {
            List<InjectionTrainer.Row> train = new ArrayList<>(benignTrain);
            attacks.stream().filter(row -> !row.family().equals(family)).forEach(train::add);
            // the trainer's order: benign, contact-detail prompts, attacks
            List<InjectionTrainer.Row> trainWithContact = new ArrayList<>(benignTrain);
            trainWithContact.addAll(contactTrain);
            attacks.stream().filter(row -> !row.family().equals(family)).forEach(trainWithContact::add);
            List<InjectionTrainer.Row> familyAttacks = attacks.stream().filter(row -> row.family().equals(family)).toList();
            StringBuilder line = new StringBuilder("| " + family + " |");
            int c = 0;
            for (var entry : candidates.entrySet()) {
                Function<InjectionTrainer.Row, Double> scorer = entry.getValue()
                        .apply(entry.getKey().startsWith(CONTACT) ? trainWithContact : train);
                double[] positive = familyAttacks.stream().mapToDouble(scorer::apply).toArray();
                double[] negative = benignTest.stream().mapToDouble(scorer::apply).toArray();
                double tpr1 = InjectionTrainer.tprAt(positive, negative, 0.01);
                double tpr2 = InjectionTrainer.tprAt(positive, negative, 0.02);
                macro[c][0] += tpr1 / families.size();
                macro[c][1] += tpr2 / families.size();
                for (double p : positive) {
                    pooled.get(c).add(new double[] {p, 1});
                }
                for (double n : negative) {
                    pooled.get(c).add(new double[] {n, 0});
                }
                line.append(String.format(Locale.ROOT, " %.3f / %.3f |", tpr1, tpr2));
                c++;
            }
            System.out.println(line);
        }
        StringBuilder macroLine = new StringBuilder("| **macro** |");
        StringBuilder pooledLine = new StringBuilder("| pooled |");
        for (int c = 0; c < candidates.size(); c++) {
            macroLine.append(String.format(Locale.ROOT, " **%.3f / %.3f** |", macro[c][0], macro[c][1]));
            double[] p = pooled.get(c).stream().filter(r -> r[1] == 1).mapToDouble(r -> r[0]).toArray();
            double[] n = pooled.get(c).stream().filter(r -> r[1] == 0).mapToDouble(r -> r[0]).toArray();
            pooledLine.append(String.format(Locale.ROOT, " %.3f / %.3f |", InjectionTrainer.tprAt(p, n, 0.01),
                    InjectionTrainer.tprAt(p, n, 0.02)));
        }
        System.out.println(macroLine);
        System.out.println(pooledLine);

        List<InjectionTrainer.Row> all = new ArrayList<>(attacks);
        all.addAll(benign);
        all.addAll(data.get("devNormal"));
        StringBuilder roleplayLine = new StringBuilder("| role-play FPR @ 0.6 / 0.9 / @ the pooled 2 % threshold (trained on all) |");
        int c = 0;
        List<InjectionTrainer.Row> allWithContact = new ArrayList<>(all);
        allWithContact.addAll(contact);
        for (var entry : candidates.entrySet()) {
            Function<InjectionTrainer.Row, Double> scorer = entry.getValue()
                    .apply(entry.getKey().startsWith(CONTACT) ? allWithContact : all);
            double[] s = data.get("roleplay").stream().mapToDouble(scorer::apply).toArray();
            double[] n = pooled.get(c++).stream().filter(r -> r[1] == 0).mapToDouble(r -> r[0]).sorted().toArray();
            double threshold = n[n.length - 1 - (int) Math.floor(0.02 * n.length)];
            roleplayLine.append(String.format(Locale.ROOT, " %.3f / %.3f / %.3f (%.2f) |", InjectionTrainer.share(s, 0.6),
                    InjectionTrainer.share(s, 0.9), java.util.Arrays.stream(s).filter(v -> v > threshold).count()
                            / (double) s.length, threshold));
        }
        System.out.println(roleplayLine);
        StringBuilder contactLine = new StringBuilder("| the four ContactDetailsTests prompts (trained on all) |");
        List<InjectionTrainer.Row> probes = InjectionTrainer.embed(new InjectionClassifier(
                new AllMiniLmL6V2QuantizedEmbeddingModel(), new double[384], 0), InjectionNegativesExperiment.CONTACT_DETAILS.stream()
                .map(text -> new InjectionCorpus.Example(text, false, "probe")).toList());
        for (var entry : candidates.entrySet()) {
            Function<InjectionTrainer.Row, Double> scorer = entry.getValue()
                    .apply(entry.getKey().startsWith(CONTACT) ? allWithContact : all);
            StringBuilder scores = new StringBuilder();
            probes.forEach(row -> scores.append(String.format(Locale.ROOT, " %.2f", scorer.apply(row))));
            contactLine.append(scores).append(" |");
        }
        System.out.println(contactLine);
    }

    private static Candidate network(int hidden, long seed, double l2) {
        return train -> {
            TwoLayerNetwork model = TwoLayerNetwork.train(train.stream().map(InjectionTrainer.Row::features).toList(),
                    train.stream().map(InjectionTrainer.Row::attack).toList(), hidden, seed, l2);
            return row -> model.probability(row.features());
        };
    }

    /** The same rows as {@link InjectionTrainer}, embedded once and cached. */
    @SuppressWarnings("unchecked")
    static Map<String, List<InjectionTrainer.Row>> rows() throws IOException, ClassNotFoundException {
        Path cache = InjectionTrainer.moduleDir().resolve("target/injection-rows.bin");
        Map<String, List<InjectionTrainer.Row>> rows = new LinkedHashMap<>();
        if (Files.exists(cache)) {
            try (var in = new ObjectInputStream(Files.newInputStream(cache))) {
                Map<String, List<Object[]>> raw = (Map<String, List<Object[]>>) in.readObject();
                raw.forEach((key, list) -> rows.put(key, list.stream().map(o -> new InjectionTrainer.Row((String) o[0],
                        (Boolean) o[1], (String) o[2], (float[]) o[3])).toList()));
            }
            if (rows.containsKey("contact")) {
                return rows;
            }
        }
        var classifier = new InjectionClassifier(new AllMiniLmL6V2QuantizedEmbeddingModel(), new double[384], 0);
        Path dev = InjectionTrainer.devSet();
        if (!rows.containsKey("generated")) {
            rows.put("generated", InjectionTrainer.embed(classifier, new InjectionCorpus(InjectionTrainer.SEED).generate(180, 1400)));
            rows.put("devAttacks", dev == null ? List.of() : InjectionTrainer.embed(classifier, InjectionTrainer.devAttacks(dev)));
            rows.put("devNormal", dev == null ? List.of() : InjectionTrainer.embed(classifier, InjectionTrainer.devNormal(dev)));
            rows.put("roleplay", dev == null ? List.of() : InjectionTrainer.embed(classifier, InjectionTrainer.roleplay(dev)));
        }
        rows.put("contact", InjectionTrainer.embed(classifier, new InjectionCorpus(InjectionTrainer.SEED + 3).contactDetails(300)));
        Map<String, List<Object[]>> raw = new LinkedHashMap<>();
        rows.forEach((key, list) -> raw.put(key, new ArrayList<>(list.stream()
                .map(row -> new Object[] {row.text(), row.attack(), row.family(), row.features()}).toList())));
        Files.createDirectories(cache.toAbsolutePath().getParent());
        try (var out = new ObjectOutputStream(Files.newOutputStream(cache))) {
            out.writeObject(new LinkedHashMap<>(raw));
        }
        return rows;
    }

    private InjectionModelExperiment() {
    }
}
