package dev.genaiplatform.guardrails.detection;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.Finding;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the detectors in order and turns what they found into a verdict.
 *
 * <ul>
 *   <li><b>BLOCKED</b> as soon as a detector reports a {@link Detection.Block}: later detectors do not run
 *       (the cheap size check goes first, so an oversize prompt is never scanned), no messages go back, and
 *       the reply carries the first block's reason.</li>
 *   <li><b>REDACTED</b> when there are spans to mask: each span is replaced by {@code <CATEGORY>} and the rest of
 *       the text is kept as it was. Spans of different detectors that overlap: the earlier detector wins.</li>
 *   <li><b>ALLOWED</b> otherwise, with the messages unchanged.</li>
 * </ul>
 *
 * All roles are checked (system, user, assistant, tool): every one of them comes from the client, travels to
 * the model provider, and can carry someone's personal data or an oversize payload.
 */
public final class GuardrailPipeline {

    private final List<InputDetector> detectors;
    private final MeterRegistry meterRegistry;

    public GuardrailPipeline(List<InputDetector> detectors, MeterRegistry meterRegistry) {
        this.detectors = List.copyOf(detectors);
        this.meterRegistry = meterRegistry;
    }

    public InputCheckedReply check(CheckInputCommand command) {
        List<ChatMessage> messages = command.messages() == null ? List.of() : command.messages();
        List<Detection> detections = new ArrayList<>();
        for (InputDetector detector : detectors) {
            List<Detection> found = detector.detect(messages);
            detections.addAll(found);
            for (Detection detection : found) {
                if (detection instanceof Detection.Block block) {
                    return record(new InputCheckedReply(command.requestId(), Verdict.BLOCKED, List.of(),
                            findings(detections), block.reason()));
                }
            }
        }
        List<Detection.Mask> masks = resolveOverlaps(detections);
        if (masks.isEmpty()) {
            return record(new InputCheckedReply(command.requestId(), Verdict.ALLOWED, messages, List.of(), null));
        }
        return record(new InputCheckedReply(command.requestId(), Verdict.REDACTED, redact(messages, masks),
                findings(masks), null));
    }

    /** Keeps masks in detector order, dropping any that overlaps an earlier one; sorted by message and start. */
    private static List<Detection.Mask> resolveOverlaps(List<Detection> detections) {
        Map<Integer, NonOverlappingSpans> acceptedByMessage = new TreeMap<>();
        List<Detection.Mask> kept = new ArrayList<>();
        for (Detection detection : detections) {
            if (detection instanceof Detection.Mask mask && acceptedByMessage
                    .computeIfAbsent(mask.messageIndex(), index -> new NonOverlappingSpans())
                    .offer(mask.start(), mask.end())) {
                kept.add(mask);
            }
        }
        kept.sort(Comparator.comparingInt(Detection.Mask::messageIndex).thenComparingInt(Detection.Mask::start));
        return kept;
    }

    /** Masks are sorted and do not overlap; text between them is copied unchanged. */
    private static List<ChatMessage> redact(List<ChatMessage> messages, List<Detection.Mask> masks) {
        List<ChatMessage> redacted = new ArrayList<>(messages.size());
        int next = 0;
        for (int index = 0; index < messages.size(); index++) {
            ChatMessage message = messages.get(index);
            if (next >= masks.size() || masks.get(next).messageIndex() != index) {
                redacted.add(message);
                continue;
            }
            String text = message.content();
            StringBuilder out = new StringBuilder(text.length());
            int copiedUpTo = 0;
            while (next < masks.size() && masks.get(next).messageIndex() == index) {
                Detection.Mask mask = masks.get(next++);
                out.append(text, copiedUpTo, mask.start()).append('<').append(mask.category()).append('>');
                copiedUpTo = mask.end();
            }
            out.append(text, copiedUpTo, text.length());
            redacted.add(new ChatMessage(message.role(), out.toString()));
        }
        return List.copyOf(redacted);
    }

    private static List<Finding> findings(List<? extends Detection> detections) {
        return detections.stream().map(Detection::toFinding).toList();
    }

    private InputCheckedReply record(InputCheckedReply reply) {
        Counter.builder("guardrails.verdicts").description("Input checks by verdict")
                .tag("verdict", reply.verdict().name()).register(meterRegistry).increment();
        for (Finding finding : reply.findings()) {
            Counter.builder("guardrails.findings").description("Detector findings by detector and category")
                    .tag("detector", finding.detector()).tag("category", finding.category())
                    .register(meterRegistry).increment();
        }
        return reply;
    }
}
