package dev.genaiplatform.guardrails.pii;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures the PII detector against a labelled data set in Presidio's format (a JSON array of
 * {@code {full_text, spans: [{entity_type, start_position, end_position}]}}), e.g. the development set
 * {@code presidio_synth_dev_500.json}. Not a test: the numbers go into the README, the data stays outside the repo.
 *
 * <pre>./mvnw -q -pl guardrails test-compile exec:java -Dpii.dataset=/path/to/file.json [-Dpii.verbose=true]</pre>
 *
 * Per category it prints precision and recall twice: with exact span boundaries, and with any overlap (a
 * predicted span that touches the gold span: the PII is at least partly masked). Other gold types (names,
 * addresses, IBANs...) are out of scope and only count when a prediction lands on them (a false positive).
 * With {@code pii.verbose} it also prints every miss and false alarm with its context, for error analysis.
 */
public final class PiiEvaluation {

    /** The data set's label for each category this detector produces. */
    private static final Map<PiiCategory, String> GOLD_LABELS = Map.of(
            PiiCategory.EMAIL_ADDRESS, "EMAIL_ADDRESS",
            PiiCategory.PHONE_NUMBER, "PHONE_NUMBER",
            PiiCategory.CARD_NUMBER, "CREDIT_CARD");

    private record Span(String label, int start, int end) {
        boolean overlaps(Span other) {
            return start < other.end && other.start < end;
        }
    }

    private record Sample(String text, List<Span> gold) {
    }

    private static final class Tally {
        int predicted, gold, predictedExact, predictedOverlap, goldExact, goldOverlap;
    }

    public static void main(String[] args) throws IOException {
        Path dataset = Path.of(args.length > 0 ? args[0] : System.getProperty("pii.dataset"));
        boolean verbose = Boolean.getBoolean("pii.verbose");
        List<Sample> samples = read(dataset);
        PiiDetector detector = new PiiDetector();

        Map<PiiCategory, Tally> tallies = new EnumMap<>(PiiCategory.class);
        for (PiiCategory category : PiiCategory.values()) {
            tallies.put(category, new Tally());
        }
        for (Sample sample : samples) {
            List<Span> predicted = detector.find(sample.text()).stream()
                    .map(span -> trimmed(sample.text(), GOLD_LABELS.get(span.category()), span.start(), span.end()))
                    .toList();
            for (PiiCategory category : PiiCategory.values()) {
                score(sample, predicted, GOLD_LABELS.get(category), tallies.get(category), verbose);
            }
        }

        System.out.printf(Locale.ROOT, "%s: %d texts%n%n", dataset.getFileName(), samples.size());
        System.out.printf(Locale.ROOT, "%-14s %6s %9s %14s %14s%n", "category", "gold", "predicted", "exact P / R",
                "overlap P / R");
        tallies.forEach((category, t) -> System.out.printf(Locale.ROOT, "%-14s %6d %9d %6.3f / %5.3f %6.3f / %5.3f%n",
                GOLD_LABELS.get(category), t.gold, t.predicted, ratio(t.predictedExact, t.predicted),
                ratio(t.goldExact, t.gold), ratio(t.predictedOverlap, t.predicted), ratio(t.goldOverlap, t.gold)));
        printLatency(detector, samples);
    }

    private static void score(Sample sample, List<Span> predicted, String label, Tally tally, boolean verbose) {
        List<Span> gold = sample.gold().stream().filter(span -> span.label().equals(label)).toList();
        List<Span> mine = predicted.stream().filter(span -> span.label().equals(label)).toList();
        tally.gold += gold.size();
        tally.predicted += mine.size();
        for (Span p : mine) {
            tally.predictedExact += gold.contains(p) ? 1 : 0;
            boolean hit = gold.stream().anyMatch(p::overlaps);
            tally.predictedOverlap += hit ? 1 : 0;
            if (!hit && verbose) {
                System.out.println("FALSE ALARM " + label + ": " + context(sample.text(), p));
            }
        }
        for (Span g : gold) {
            tally.goldExact += mine.contains(g) ? 1 : 0;
            boolean hit = mine.stream().anyMatch(g::overlaps);
            tally.goldOverlap += hit ? 1 : 0;
            if (!hit && verbose) {
                System.out.println("MISSED " + label + ": " + context(sample.text(), g));
            }
        }
    }

    /** Mean detection time per text over repeated passes, after a warm-up; one thread. */
    private static void printLatency(PiiDetector detector, List<Sample> samples) {
        for (int warmUp = 0; warmUp < 20; warmUp++) {
            samples.forEach(sample -> detector.find(sample.text()));
        }
        int passes = 50;
        long started = System.nanoTime();
        long chars = 0;
        for (int pass = 0; pass < passes; pass++) {
            for (Sample sample : samples) {
                detector.find(sample.text());
                chars += sample.text().length();
            }
        }
        double micros = (System.nanoTime() - started) / 1_000.0 / (passes * (double) samples.size());
        System.out.printf(Locale.ROOT, "%nlatency: %.1f µs per text (mean %d chars), one thread, after warm-up%n",
                micros, chars / (passes * (long) samples.size()));
    }

    private static List<Sample> read(Path dataset) throws IOException {
        List<Sample> samples = new ArrayList<>();
        for (JsonNode row : JsonMapper.builder().build().readTree(Files.readString(dataset))) {
            String text = row.get("full_text").asString();
            List<Span> gold = new ArrayList<>();
            for (JsonNode span : row.get("spans")) {
                gold.add(trimmed(text, span.get("entity_type").asString(), span.get("start_position").asInt(),
                        span.get("end_position").asInt()));
            }
            samples.add(new Sample(text, gold));
        }
        return samples;
    }

    /** Gold spans sometimes include surrounding whitespace; compare both sides without it. */
    private static Span trimmed(String text, String label, int start, int end) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return new Span(label, start, end);
    }

    private static String context(String text, Span span) {
        int from = Math.max(0, span.start() - 30);
        int to = Math.min(text.length(), span.end() + 15);
        return ("…" + text.substring(from, span.start()) + "[[" + text.substring(span.start(), span.end()) + "]]"
                + text.substring(span.end(), to) + "…").replace('\n', '⏎');
    }

    private static double ratio(int part, int whole) {
        return whole == 0 ? Double.NaN : part / (double) whole;
    }

    private PiiEvaluation() {
    }
}
