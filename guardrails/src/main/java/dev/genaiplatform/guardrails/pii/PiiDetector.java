package dev.genaiplatform.guardrails.pii;

import dev.genaiplatform.guardrails.detection.CheckedText;
import dev.genaiplatform.guardrails.detection.Detection;
import dev.genaiplatform.guardrails.detection.InputDetector;
import dev.genaiplatform.guardrails.detection.NonOverlappingSpans;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds personal data and secrets that have a recognisable shape, with re2j patterns (linear time, no
 * catastrophic backtracking) and checksums where the format has one: secrets and API keys, Luhn-valid card
 * numbers, mod-97 IBANs, US SSNs, Spanish DNI/NIE, Italian codice fiscale, Dutch BSN, e-mail addresses,
 * IPv4/IPv6 addresses, dates of birth after a cue, phone numbers. See each recognizer for the exact formats
 * and what it misses.
 *
 * <p>Overlapping spans are resolved deterministically: category precedence first (the order of {@link PiiCategory}),
 * then the longer span, then the earlier one.
 *
 * <p>What it does NOT catch: anything that needs language understanding (names and addresses are the
 * {@code ner} detector's), health or financial details in prose, PII written in words or split across
 * messages, and PII inside images or attachments.
 */
public final class PiiDetector implements InputDetector {

    static final String NAME = "pii";

    private static final Comparator<PiiSpan> PRECEDENCE = Comparator.comparing(PiiSpan::category)
            .thenComparing(Comparator.comparingInt(PiiSpan::length).reversed())
            .thenComparingInt(PiiSpan::start);

    private final boolean countingDigits;
    private final List<PiiRecognizer> recognizers = List.of(
            new SecretRecognizer(), new CardNumberRecognizer(), new IbanRecognizer(), new UsSsnRecognizer(),
            new EuropeanIdRecognizer(), new EmailAddressRecognizer(), new IpAddressRecognizer(),
            new DateOfBirthRecognizer(), new PhoneNumberRecognizer());

    /** The detector the service runs: recognizers and patterns that need more digits than a text holds are skipped. */
    public PiiDetector() {
        this(true);
    }

    private PiiDetector(boolean countingDigits) {
        this.countingDigits = countingDigits;
    }

    /**
     * The detector as it was before the seventh wave: only the character gates ({@link PiiRecognizer#mayFind}),
     * every pattern of a recognizer it runs. Finds exactly what {@link #PiiDetector()} finds; the benchmark and
     * the equivalence tests compare the two.
     */
    public static PiiDetector withoutDigitCounts() {
        return new PiiDetector(false);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Detection> detect(List<CheckedText> texts) {
        List<Detection> detections = new ArrayList<>();
        for (int index = 0; index < texts.size(); index++) {
            for (PiiSpan span : find(texts.get(index).text())) {
                detections.add(new Detection.Span(NAME, span.category().name(), index, span.start(), span.end()));
            }
        }
        return detections;
    }

    List<PiiRecognizer> recognizers() {
        return recognizers;
    }

    /**
     * Every piece of PII in {@code text}: non-overlapping spans in text order. Recognizers that cannot find
     * anything in it are skipped: {@link PiiRecognizer#mayFind} (no digit, no {@code @}, no cue) and
     * {@link PiiRecognizer#minimumDigits} (an answer citing {@code [1]}, {@code [2]} and the year 2024 holds at most
     * four digits in one number; a card number needs 13), and so are a recognizer's patterns that need more digits
     * than the text's longest number holds.
     */
    public List<PiiSpan> find(String text) {
        return find(text, true);
    }

    /** Every recognizer over the text, each with all its patterns: the reference {@link #find} must equal (tests, benchmark). */
    public List<PiiSpan> findWithoutPrefilter(String text) {
        return find(text, false);
    }

    private List<PiiSpan> find(String text, boolean prefilter) {
        List<PiiSpan> candidates = new ArrayList<>();
        boolean counting = prefilter && countingDigits;
        int digits = counting ? PiiRecognizer.mostDigitsInOneNumber(text) : Integer.MAX_VALUE;
        for (PiiRecognizer recognizer : recognizers) {
            if (!prefilter) {
                candidates.addAll(recognizer.find(text));
            } else if (recognizer.mayFind(text) && digits >= recognizer.minimumDigits()) {
                candidates.addAll(counting ? recognizer.find(text, digits) : recognizer.find(text));
            }
        }
        candidates.sort(PRECEDENCE);
        NonOverlappingSpans accepted = new NonOverlappingSpans();
        List<PiiSpan> spans = new ArrayList<>();
        for (PiiSpan candidate : candidates) {
            if (accepted.offer(candidate.start(), candidate.end())) {
                spans.add(candidate);
            }
        }
        spans.sort(Comparator.comparingInt(PiiSpan::start));
        return spans;
    }
}
