package dev.genaiplatform.guardrails.pii;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.guardrails.detection.Detection;
import dev.genaiplatform.guardrails.detection.InputDetector;
import dev.genaiplatform.guardrails.detection.NonOverlappingSpans;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Masks personal data that has a recognisable shape: e-mail addresses, phone numbers and Luhn-valid payment
 * card numbers, with re2j patterns (linear time, no catastrophic backtracking). See each recognizer for the
 * exact formats and what it misses.
 *
 * <p>Overlapping spans are resolved deterministically: category precedence first (card, then e-mail, then
 * phone; see {@link PiiCategory}), then the longer span, then the earlier one.
 *
 * <p>What it does NOT catch: anything that needs language understanding. Names of people, postal addresses,
 * dates of birth, national ids (SSN, passport), IBANs, IP addresses, health or financial details in prose,
 * PII written in words or split across messages, and PII inside images or attachments. Finding those needs a
 * named-entity model; none with a permissive licence ships in a package registry (see the module README).
 */
public final class PiiDetector implements InputDetector {

    static final String NAME = "pii";

    private static final Comparator<PiiSpan> PRECEDENCE = Comparator.comparing(PiiSpan::category)
            .thenComparing(Comparator.comparingInt(PiiSpan::length).reversed())
            .thenComparingInt(PiiSpan::start);

    private final List<PiiRecognizer> recognizers = List.of(
            new CardNumberRecognizer(), new EmailAddressRecognizer(), new PhoneNumberRecognizer());

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Detection> detect(List<ChatMessage> messages) {
        List<Detection> detections = new ArrayList<>();
        for (int index = 0; index < messages.size(); index++) {
            ChatMessage message = messages.get(index);
            if (message == null || message.content() == null) {
                continue;
            }
            for (PiiSpan span : find(message.content())) {
                detections.add(new Detection.Mask(NAME, span.category().name(), index, span.start(), span.end()));
            }
        }
        return detections;
    }

    /** Every piece of PII in {@code text}: non-overlapping spans in text order. */
    public List<PiiSpan> find(String text) {
        List<PiiSpan> candidates = new ArrayList<>();
        for (PiiRecognizer recognizer : recognizers) {
            candidates.addAll(recognizer.find(text));
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
