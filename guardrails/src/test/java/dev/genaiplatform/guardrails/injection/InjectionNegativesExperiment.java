package dev.genaiplatform.guardrails.injection;

import dev.genaiplatform.guardrails.moderation.ModerationCorpus;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One question, measured in one run on the same data: does training the injection classifier with more and more
 * varied non-injection text (the moderation generator's requests, harmful and benign, or benign only: none is
 * an injection) raise its family-held-out TPR at 1 % / 2 % FPR, and lower the scores of ordinary requests with contact
 * details? Baseline = the shipped training set ({@link InjectionTrainer}). Prints both side by side; ships
 * nothing. A {@code main}, run by hand (README).
 */
public final class InjectionNegativesExperiment {

    static final List<String> CONTACT_DETAILS = List.of(
            "My e-mail is jane.doe@example.com. How does retrieval rank passages?",
            "Write to jane.doe.e2e@example.com: how does the gateway limit request rates?",
            "Mail me at jane.doe@example.com: how does retrieval rank passages?",
            "Contact me at +44 20 7946 0958 about the gateway rate limits.");

    public static void main(String[] args) throws IOException {
        var classifier = new InjectionClassifier(new AllMiniLmL6V2QuantizedEmbeddingModel(), new double[384], 0);
        List<InjectionTrainer.Row> generated = InjectionTrainer.embed(classifier,
                new InjectionCorpus(InjectionTrainer.SEED).generate(180, 1400));
        Path dev = InjectionTrainer.devSet();
        List<InjectionTrainer.Row> devAttacks = dev == null ? List.of()
                : InjectionTrainer.embed(classifier, InjectionTrainer.devAttacks(dev));
        List<InjectionTrainer.Row> devNormal = dev == null ? List.of()
                : InjectionTrainer.embed(classifier, InjectionTrainer.devNormal(dev));
        List<InjectionTrainer.Row> roleplay = dev == null ? List.of()
                : InjectionTrainer.embed(classifier, InjectionTrainer.roleplay(dev));
        List<InjectionTrainer.Row> extra = InjectionTrainer.embed(classifier,
                new ModerationCorpus(InjectionTrainer.SEED).training(6).stream()
                        .map(example -> new InjectionCorpus.Example(example.text(), false, "moderation-" + example.family()))
                        .toList());
        List<InjectionTrainer.Row> extraBenign = extra.stream().filter(row -> row.family().startsWith("moderation-benign"))
                .toList();
        List<List<InjectionTrainer.Row>> additions = List.of(List.of(), extra, extraBenign);
        List<String> names = List.of("shipped set", "+ moderation requests (harmful and benign)",
                "+ moderation benign requests only");
        List<InjectionTrainer.Row> contact = InjectionTrainer.embed(classifier, CONTACT_DETAILS.stream()
                .map(text -> new InjectionCorpus.Example(text, false, "contact")).toList());

        List<InjectionTrainer.Row> benign = generated.stream().filter(row -> !row.attack()).toList();
        List<InjectionTrainer.Row> benignTrain = benign.subList(0, benign.size() * 4 / 5);
        List<InjectionTrainer.Row> benignTest = new ArrayList<>(benign.subList(benign.size() * 4 / 5, benign.size()));
        benignTest.addAll(devNormal);
        List<InjectionTrainer.Row> attacks = Stream.concat(generated.stream().filter(InjectionTrainer.Row::attack),
                devAttacks.stream()).toList();
        List<String> families = attacks.stream().map(InjectionTrainer.Row::family).distinct().sorted().toList();

        System.out.printf(Locale.ROOT, "%d attacks, %d benign train, %d benign test, %d extra negatives%n%n",
                attacks.size(), benignTrain.size(), benignTest.size(), extra.size());
        System.out.println("| held-out family | " + String.join(" | ", names) + " |");
        System.out.println("|---|---|---|---|");
        double[] macro = new double[6];
        for (String family : families) {
            StringBuilder line = new StringBuilder("| " + family);
            for (int config = 0; config < additions.size(); config++) {
                List<InjectionTrainer.Row> train = new ArrayList<>(benignTrain);
                attacks.stream().filter(row -> !row.family().equals(family)).forEach(train::add);
                train.addAll(additions.get(config));
                LogisticRegression model = InjectionTrainer.fitLinear(train);
                double[] positive = scores(model, attacks.stream().filter(row -> row.family().equals(family)).toList());
                double[] negative = scores(model, benignTest);
                double tpr1 = InjectionTrainer.tprAt(positive, negative, 0.01);
                double tpr2 = InjectionTrainer.tprAt(positive, negative, 0.02);
                macro[config * 2] += tpr1 / families.size();
                macro[config * 2 + 1] += tpr2 / families.size();
                line.append(String.format(Locale.ROOT, " | %.3f / %.3f", tpr1, tpr2));
            }
            System.out.println(line + " |");
        }
        System.out.printf(Locale.ROOT, "| **macro TPR @1%% / @2%%** | **%.3f / %.3f** | **%.3f / %.3f** | **%.3f / %.3f** |%n%n",
                macro[0], macro[1], macro[2], macro[3], macro[4], macro[5]);

        System.out.println("| trained on everything | role-play FPR @0.6 | role-play FPR @0.9 | contact-detail scores |");
        System.out.println("|---|---|---|---|");
        for (int config = 0; config < additions.size(); config++) {
            List<InjectionTrainer.Row> train = new ArrayList<>(attacks);
            train.addAll(benign);
            train.addAll(devNormal);
            train.addAll(additions.get(config));
            LogisticRegression model = InjectionTrainer.fitLinear(train);
            double[] roleplayScores = scores(model, roleplay);
            StringBuilder contactScores = new StringBuilder();
            for (double score : scores(model, contact)) {
                contactScores.append(String.format(Locale.ROOT, "%.2f ", score));
            }
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %s|%n", names.get(config),
                    InjectionTrainer.share(roleplayScores, 0.6), InjectionTrainer.share(roleplayScores, 0.9), contactScores);
        }
    }

    private static double[] scores(LogisticRegression model, List<InjectionTrainer.Row> rows) {
        return rows.stream().mapToDouble(row -> model.probability(row.features())).toArray();
    }

    private InjectionNegativesExperiment() {
    }
}
