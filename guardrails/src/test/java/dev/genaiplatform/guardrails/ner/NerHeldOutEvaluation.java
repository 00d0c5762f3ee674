package dev.genaiplatform.guardrails.ner;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measures the name finder on a held-out set of the project's own: texts from templates never used in training
 * ({@code ner/held-out-templates.txt}, {@code ner/held-out-negatives.txt}) filled with names and addresses of
 * locales never used in training ({@link NerTrainingSentences#HELD_OUT_LOCALES}). The previous wave's finder and
 * the shipped one, side by side in one run. Per type: overlap and exact precision / recall; then PERSON and
 * STREET_ADDRESS together (F2, recall weighed four times); then amounts of money taken for addresses.
 * A {@code main}, run by hand (README); deterministic for the seed.
 *
 * <pre>guardrails/run-main.sh dev.genaiplatform.guardrails.ner.NerHeldOutEvaluation [texts]</pre>
 */
public final class NerHeldOutEvaluation {

    static final long SEED = 20261207L;

    private static final class Tally {
        int gold, predicted, goldOverlap, predictedOverlap, goldExact;
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
        List<NerTrainingSentences.Labelled> texts = NerTrainingSentences.heldOut(SEED).generateLabelled(count);
        long entities = texts.stream().mapToLong(text -> text.spans().size()).sum();
        System.out.printf(Locale.ROOT, "%d held-out texts, %d entities, locales %s%n", texts.size(), entities,
                NerTrainingSentences.HELD_OUT_LOCALES);
        NameFinderDetector previous = NameModels.previous();
        if (previous != null) {
            System.out.printf(Locale.ROOT, "%n## previous wave's name finder%n%n");
            evaluate(texts, previous, Boolean.getBoolean("ner.verbose"));
        }
        System.out.printf(Locale.ROOT, "%n## shipped name finder%n%n");
        evaluate(texts, NameModels.current(), Boolean.getBoolean("ner.verbose"));
    }

    private static void evaluate(List<NerTrainingSentences.Labelled> texts, NameFinderDetector detector, boolean verbose) {
        Map<String, Tally> tallies = new TreeMap<>();
        Tally names = new Tally();
        int moneyAsAddress = 0;
        int moneyTexts = 0;
        long started = System.nanoTime();
        for (NerTrainingSentences.Labelled text : texts) {
            List<NameFinderDetector.EntitySpan> predicted = detector.find(text.text());
            List<NameFinderDetector.EntitySpan> gold = new ArrayList<>();
            for (int i = 0; i < text.spans().size(); i++) {
                gold.add(new NameFinderDetector.EntitySpan(text.types().get(i).toUpperCase(Locale.ROOT),
                        text.spans().get(i)[0], text.spans().get(i)[1]));
            }
            for (var g : gold) {
                boolean hit = predicted.stream().anyMatch(p -> p.category().equals(g.category()) && overlaps(p, g));
                for (Tally tally : tallies(tallies, names, g.category())) {
                    tally.gold++;
                    tally.goldOverlap += hit ? 1 : 0;
                    tally.goldExact += predicted.contains(g) ? 1 : 0;
                }
                if (!hit && verbose) {
                    System.out.println("MISSED " + g.category() + ": " + shown(text.text(), g));
                }
            }
            for (var p : predicted) {
                boolean hit = gold.stream().anyMatch(g -> g.category().equals(p.category()) && overlaps(p, g));
                for (Tally tally : tallies(tallies, names, p.category())) {
                    tally.predicted++;
                    tally.predictedOverlap += hit ? 1 : 0;
                }
                if (!hit && verbose) {
                    System.out.println("FALSE ALARM " + p.category() + ": " + shown(text.text(), p));
                }
            }
            if (text.text().matches("(?s).*(\\d+ ?(euros|EUR|dollars|USD|pounds|GBP|CHF|francs)|[€$£¥₹]\\d).*")) {
                moneyTexts++;
                moneyAsAddress += (int) predicted.stream().filter(p -> p.category().equals("STREET_ADDRESS")
                        && gold.stream().noneMatch(g -> overlaps(p, g))).count();
            }
        }
        double micros = (System.nanoTime() - started) / 1_000.0 / texts.size();
        System.out.println("| type | gold | predicted | overlap P / R | exact R | F2 (overlap) |");
        System.out.println("|---|---|---|---|---|---|");
        tallies.forEach((type, t) -> row(type, t));
        row("**PERSON + STREET_ADDRESS**", names);
        System.out.printf(Locale.ROOT, "%nstreet addresses predicted on amounts of money: %d (in %d texts with an amount)%n",
                moneyAsAddress, moneyTexts);
        System.out.printf(Locale.ROOT, "%.0f µs per text (mean, one thread, cold JIT included)%n", micros);
    }

    private static List<Tally> tallies(Map<String, Tally> tallies, Tally names, String category) {
        Tally tally = tallies.computeIfAbsent(category, c -> new Tally());
        return category.equals("PERSON") || category.equals("STREET_ADDRESS") ? List.of(tally, names) : List.of(tally);
    }

    private static void row(String type, Tally t) {
        double p = t.predicted == 0 ? Double.NaN : t.predictedOverlap / (double) t.predicted;
        double r = t.gold == 0 ? Double.NaN : t.goldOverlap / (double) t.gold;
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %.3f / %.3f | %.3f | %.3f |%n", type, t.gold, t.predicted, p, r,
                t.gold == 0 ? Double.NaN : t.goldExact / (double) t.gold, 5 * p * r / (4 * p + r));
    }

    private static boolean overlaps(NameFinderDetector.EntitySpan a, NameFinderDetector.EntitySpan b) {
        return a.start() < b.end() && b.start() < a.end();
    }

    private static String shown(String text, NameFinderDetector.EntitySpan span) {
        return (text.substring(0, span.start()) + "[[" + text.substring(span.start(), span.end()) + "]]"
                + text.substring(span.end())).replace('\n', '⏎');
    }

    private NerHeldOutEvaluation() {
    }
}
