package dev.genaiplatform.guardrails.moderation;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures the shipped moderation (rules, classifier, both) on the committed held-out set
 * ({@code src/test/resources/moderation/held-out.csv}, written by {@link ModerationTrainer}) and, when present,
 * on the shared benign role-play prompts (false positives only). A {@code main}, run by hand (README); the same
 * counting backs {@code ModerationHeldOutTests}.
 */
public final class ModerationEvaluation {

    static final String HELD_OUT = "/moderation/held-out.csv";

    /** Counts for one category or for "any harmful". */
    record Counts(int truePositives, int falsePositives, int falseNegatives) {

        double precision() {
            return truePositives + falsePositives == 0 ? 1 : truePositives / (double) (truePositives + falsePositives);
        }

        double recall() {
            return truePositives + falseNegatives == 0 ? 1 : truePositives / (double) (truePositives + falseNegatives);
        }
    }

    /** Per category and overall, for one way of deciding. */
    record Report(Map<ModerationCategory, Counts> perCategory, Counts anyHarmful, int benign, int benignFlagged) {

        double benignFalsePositiveRate() {
            return benign == 0 ? 0 : benignFlagged / (double) benign;
        }
    }

    enum Mode { RULES, CLASSIFIER, BOTH }

    public static List<ModerationCorpus.Example> heldOut() throws IOException {
        try (InputStream in = ModerationEvaluation.class.getResourceAsStream(HELD_OUT)) {
            List<ModerationCorpus.Example> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList()) {
                String[] parts = line.split("\t", 3);
                rows.add(new ModerationCorpus.Example(parts[2], parts[0], parts[1]));
            }
            return rows;
        }
    }

    static Report evaluate(List<ModerationDetector.Assessment> assessments, List<ModerationCorpus.Example> rows,
                           Mode mode, double threshold) {
        Map<ModerationCategory, int[]> counts = new EnumMap<>(ModerationCategory.class);
        for (ModerationCategory category : ModerationCategory.values()) {
            counts.put(category, new int[3]);
        }
        int[] any = new int[3];
        int benign = 0;
        int benignFlagged = 0;
        for (int i = 0; i < rows.size(); i++) {
            List<ModerationCategory> flagged = flagged(assessments.get(i), mode, threshold);
            String label = rows.get(i).label();
            boolean harmful = !label.equals(ModerationCorpus.BENIGN);
            for (ModerationCategory category : ModerationCategory.values()) {
                boolean is = label.equals(category.name());
                boolean said = flagged.contains(category);
                int[] c = counts.get(category);
                c[0] += is && said ? 1 : 0;
                c[1] += !is && said ? 1 : 0;
                c[2] += is && !said ? 1 : 0;
            }
            any[0] += harmful && !flagged.isEmpty() ? 1 : 0;
            any[1] += !harmful && !flagged.isEmpty() ? 1 : 0;
            any[2] += harmful && flagged.isEmpty() ? 1 : 0;
            if (!harmful) {
                benign++;
                benignFlagged += flagged.isEmpty() ? 0 : 1;
            }
        }
        Map<ModerationCategory, Counts> perCategory = new EnumMap<>(ModerationCategory.class);
        counts.forEach((category, c) -> perCategory.put(category, new Counts(c[0], c[1], c[2])));
        return new Report(perCategory, new Counts(any[0], any[1], any[2]), benign, benignFlagged);
    }

    static List<ModerationCategory> flagged(ModerationDetector.Assessment assessment, Mode mode, double threshold) {
        return switch (mode) {
            case BOTH -> assessment.flagged(threshold);
            case RULES -> assessment.flagged(2.0);
            case CLASSIFIER -> new ModerationDetector.Assessment(List.of(), assessment.scores()).flagged(threshold);
        };
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("DJL_OFFLINE", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        double threshold = args.length > 0 ? Double.parseDouble(args[0]) : 0.5;
        var detector = new ModerationDetector(ModerationClassifier.load(new AllMiniLmL6V2QuantizedEmbeddingModel()), null);
        List<ModerationCorpus.Example> rows = heldOut();
        List<ModerationDetector.Assessment> assessments = rows.stream().map(row -> detector.assess(row.text())).toList();
        print(rows, assessments, threshold);
        Path roleplay = Path.of("../shared/datasets/prompt-injection/benign_roleplay_dev.csv");
        if (Files.exists(roleplay)) {
            List<String> prompts = roleplayPrompts(roleplay);
            long flagged = prompts.stream().filter(prompt -> !detector.assess(prompt).flagged(threshold).isEmpty()).count();
            System.out.printf(Locale.ROOT, "%nbenign_roleplay_dev.csv (never trained on): %d of %d flagged, FPR %.3f%n",
                    flagged, prompts.size(), flagged / (double) prompts.size());
        }
    }

    static void print(List<ModerationCorpus.Example> rows, List<ModerationDetector.Assessment> assessments,
                      double threshold) {
        System.out.printf(Locale.ROOT, "held-out rows: %d (%d benign), threshold %.2f%n%n", rows.size(),
                rows.stream().filter(row -> row.label().equals(ModerationCorpus.BENIGN)).count(), threshold);
        Map<Mode, Report> reports = new EnumMap<>(Mode.class);
        for (Mode mode : Mode.values()) {
            reports.put(mode, evaluate(assessments, rows, mode, threshold));
        }
        System.out.println("| category | held-out family | rows | rules P / R | classifier P / R | rules or classifier P / R |");
        System.out.println("|---|---|---|---|---|---|");
        for (ModerationCategory category : ModerationCategory.values()) {
            String family = rows.stream().filter(row -> row.label().equals(category.name()))
                    .map(ModerationCorpus.Example::family).findFirst().orElse("-");
            long n = rows.stream().filter(row -> row.label().equals(category.name())).count();
            StringBuilder line = new StringBuilder("| " + category + " | " + family + " | " + n);
            for (Mode mode : Mode.values()) {
                Counts c = reports.get(mode).perCategory().get(category);
                line.append(String.format(Locale.ROOT, " | %.3f / %.3f", c.precision(), c.recall()));
            }
            System.out.println(line + " |");
        }
        StringBuilder any = new StringBuilder("| any harmful (category ignored) | | "
                + rows.stream().filter(row -> !row.label().equals(ModerationCorpus.BENIGN)).count());
        StringBuilder fpr = new StringBuilder("| benign flagged (FPR) | | " + reports.get(Mode.BOTH).benign());
        for (Mode mode : Mode.values()) {
            Report report = reports.get(mode);
            any.append(String.format(Locale.ROOT, " | %.3f / %.3f", report.anyHarmful().precision(), report.anyHarmful().recall()));
            fpr.append(String.format(Locale.ROOT, " | %d (%.3f)", report.benignFlagged(), report.benignFalsePositiveRate()));
        }
        System.out.println(any + " |");
        System.out.println(fpr + " |");
        if (Boolean.getBoolean("moderation.verbose")) {
            for (int i = 0; i < rows.size(); i++) {
                List<ModerationCategory> flagged = assessments.get(i).flagged(threshold);
                boolean harmful = !rows.get(i).label().equals(ModerationCorpus.BENIGN);
                if (harmful != !flagged.isEmpty() || (harmful && !flagged.contains(ModerationCategory.valueOf(rows.get(i).label())))) {
                    System.out.println((harmful ? "MISS " : "FALSE ALARM ") + rows.get(i).label() + " " + flagged
                            + " " + assessments.get(i).scores() + " :: " + rows.get(i).text());
                }
            }
        }
    }

    public static List<String> roleplayPrompts(Path csv) throws IOException {
        // act,prompt[,...] with quoted fields; the prompt is the second field
        List<String> prompts = new ArrayList<>();
        String content = Files.readString(csv);
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < content.length() && content.charAt(i + 1) == '"') {
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
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                fields.add(field.toString());
                field.setLength(0);
                if (fields.size() >= 2) {
                    prompts.add(fields.get(1));
                }
                fields.clear();
            } else if (c != '\r') {
                field.append(c);
            }
        }
        return prompts.subList(1, prompts.size());
    }
}
