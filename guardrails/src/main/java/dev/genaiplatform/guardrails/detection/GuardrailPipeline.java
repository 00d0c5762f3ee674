package dev.genaiplatform.guardrails.detection;

import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.Finding;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.guardrails.moderation.ModerationCategory;
import dev.genaiplatform.guardrails.policy.Action;
import dev.genaiplatform.guardrails.policy.GuardrailPolicy;
import dev.genaiplatform.guardrails.policy.OwaspCategory;
import dev.genaiplatform.guardrails.policy.PolicyResolver.NamedPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs the checks a policy asks for over everything a request sends to a model, and turns what they found into
 * a verdict.
 *
 * <ol>
 *   <li>The size limit counts every text (messages, tool calls, tool definitions, schema, stop, user) and blocks
 *       before anything is scanned.</li>
 *   <li>The policy's detectors run in the configured order. Spans that rewrite text and overlap: the earlier
 *       detector wins.</li>
 *   <li>Scores (the injection and moderation classifiers) count when at or above the policy's threshold for
 *       them.</li>
 *   <li>Each finding gets the policy's action for its category. Any BLOCK makes the verdict BLOCKED (nothing is
 *       forwarded); any MASK, REDACT or PSEUDONYMISE makes it REDACTED with the texts rewritten; else ALLOWED.
 *       A WARN changes nothing but puts the category's message in {@code reason} for the client to show.</li>
 * </ol>
 */
public final class GuardrailPipeline {

    private final InputDetector sizeLimit;
    private final List<InputDetector> detectors;
    private final MeterRegistry meterRegistry;

    public GuardrailPipeline(InputDetector sizeLimit, List<InputDetector> detectors, MeterRegistry meterRegistry) {
        this.sizeLimit = sizeLimit;
        this.detectors = List.copyOf(detectors);
        this.meterRegistry = meterRegistry;
    }

    /** What a check decided, with what evaluation and audit need beside the reply. */
    public record Outcome(InputCheckedReply reply, String policy, List<String> owaspCategories, long tookMicros) {
    }

    public Outcome check(CheckInputCommand command, NamedPolicy namedPolicy, Pseudonyms pseudonyms) {
        long started = System.nanoTime();
        CheckedInput input = new CheckedInput(command);
        List<CheckedText> texts = input.texts();
        for (Detection detection : sizeLimit.detect(texts)) {
            if (detection instanceof Detection.Block block) {
                Finding finding = new Finding(block.detector(), block.category(),
                        texts.get(block.textIndex()).messageIndex(), -1, -1, texts.get(block.textIndex()).field());
                return outcome(blocked(command, List.of(finding), block.reason(), null), namedPolicy, started);
            }
        }
        List<Detection> detections = new ArrayList<>();
        for (InputDetector detector : detectors) {
            if (namedPolicy.policy().runs(detector.name())) {
                detections.addAll(detector.detect(texts));
            }
        }
        Double injectionScore = null;
        List<Finding> findings = new ArrayList<>();
        List<Detection.Span> rewrites = new ArrayList<>();
        boolean block = false;
        for (Detection detection : detections) {
            if (!(detection instanceof Detection.Score score)) {
                continue;
            }
            boolean injection = score.category().equals(OwaspCategory.PROMPT_INJECTION_CATEGORY);
            if (injection) {
                injectionScore = injectionScore == null ? score.score() : Math.max(injectionScore, score.score());
            }
            double threshold = injection ? namedPolicy.policy().injectionThreshold()
                    : namedPolicy.policy().moderationThreshold();
            // a rule span of the same category in the same text already reports it, with positions
            if (score.score() >= threshold && (injection || !hasSpan(detections, score))) {
                CheckedText text = texts.get(score.textIndex());
                findings.add(new Finding(score.detector(), score.category(), text.messageIndex(), -1, -1, text.field()));
                block |= namedPolicy.policy().actionFor(score.category()) == Action.BLOCK;
            }
        }
        for (Detection.Span span : keptSpans(detections, namedPolicy)) {
            CheckedText text = texts.get(span.textIndex());
            findings.add(new Finding(span.detector(), span.category(), text.messageIndex(), span.start(), span.end(),
                    text.field()));
            Action action = namedPolicy.policy().actionFor(span.category());
            block |= action == Action.BLOCK;
            if (action == Action.MASK || action == Action.REDACT || action == Action.PSEUDONYMISE) {
                rewrites.add(span);
            }
        }
        if (namedPolicy.policy().runs(GuardrailPolicy.INJECTION) && injectionScore == null) {
            injectionScore = 0.0;
        }
        if (block) {
            return outcome(blocked(command, findings, blockReason(findings, namedPolicy), injectionScore),
                    namedPolicy, started);
        }
        String warning = warning(findings, namedPolicy);
        if (rewrites.isEmpty()) {
            CheckedInput.Rebuilt same = input.rebuild(index -> texts.get(index).text());
            return outcome(reply(command, Verdict.ALLOWED, same, findings, warning, injectionScore), namedPolicy,
                    started);
        }
        CheckedInput.Rebuilt rewritten = input.rebuild(index -> rewrite(texts.get(index).text(),
                rewrites.stream().filter(span -> span.textIndex() == index).toList(), namedPolicy, pseudonyms));
        return outcome(reply(command, Verdict.REDACTED, rewritten, findings, warning, injectionScore), namedPolicy,
                started);
    }

    private static boolean hasSpan(List<Detection> detections, Detection.Score score) {
        return detections.stream().anyMatch(detection -> detection instanceof Detection.Span span
                && span.textIndex() == score.textIndex() && span.category().equals(score.category()));
    }

    /** The message of the first finding whose action is WARN (what the client shows next to the answer); else null. */
    private static String warning(List<Finding> findings, NamedPolicy namedPolicy) {
        return findings.stream().filter(finding -> namedPolicy.policy().actionFor(finding.category()) == Action.WARN)
                .map(finding -> ModerationCategory.of(finding.category()).map(ModerationCategory::userMessage)
                        .orElse("This request contains " + finding.category().toLowerCase(Locale.ROOT).replace('_', ' ')
                                + "; it was sent as it is."))
                .findFirst().orElse(null);
    }

    private static String blockReason(List<Finding> findings, NamedPolicy namedPolicy) {
        Set<String> categories = new LinkedHashSet<>();
        for (Finding finding : findings) {
            if (namedPolicy.policy().actionFor(finding.category()) == Action.BLOCK) {
                categories.add(finding.category());
            }
        }
        if (categories.contains(OwaspCategory.PROMPT_INJECTION_CATEGORY)) {
            return "The request looks like an attempt to override the assistant's instructions, so it was not sent to the model.";
        }
        for (String category : categories) {
            var moderation = ModerationCategory.of(category);
            if (moderation.isPresent()) {
                return moderation.get().userMessage();
            }
        }
        return "The request contains data this platform's policy does not allow to reach a model ("
                + String.join(", ", categories).toLowerCase(Locale.ROOT).replace('_', ' ') + ").";
    }

    /**
     * Spans that rewrite text (mask, redact, pseudonymise) must not overlap: in detector order, one that overlaps
     * an earlier one in the same text is dropped. Spans that only block or report are all kept. Sorted by text and
     * start.
     */
    private static List<Detection.Span> keptSpans(List<Detection> detections, NamedPolicy namedPolicy) {
        Map<Integer, NonOverlappingSpans> rewritingByText = new TreeMap<>();
        List<Detection.Span> kept = new ArrayList<>();
        for (Detection detection : detections) {
            if (!(detection instanceof Detection.Span span)) {
                continue;
            }
            Action action = namedPolicy.policy().actionFor(span.category());
            boolean rewrites = action == Action.MASK || action == Action.REDACT || action == Action.PSEUDONYMISE;
            if (!rewrites || rewritingByText.computeIfAbsent(span.textIndex(), index -> new NonOverlappingSpans())
                    .offer(span.start(), span.end())) {
                kept.add(span);
            }
        }
        kept.sort(Comparator.comparingInt(Detection.Span::textIndex).thenComparingInt(Detection.Span::start));
        return kept;
    }

    /** Spans are sorted and do not overlap; text between them is copied unchanged. */
    private static String rewrite(String text, List<Detection.Span> spans, NamedPolicy namedPolicy,
                                  Pseudonyms pseudonyms) {
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copiedUpTo = 0;
        for (Detection.Span span : spans) {
            out.append(text, copiedUpTo, span.start());
            switch (namedPolicy.policy().actionFor(span.category())) {
                case MASK -> out.append('<').append(span.category()).append('>');
                case PSEUDONYMISE -> out.append(pseudonyms.pseudonymFor(span.category(),
                        text.substring(span.start(), span.end())));
                default -> { } // REDACT: the span goes
            }
            copiedUpTo = span.end();
        }
        return out.append(text, copiedUpTo, text.length()).toString();
    }

    private static InputCheckedReply blocked(CheckInputCommand command, List<Finding> findings, String reason,
                                             Double injectionScore) {
        return new InputCheckedReply(command.requestId(), Verdict.BLOCKED, List.of(), List.copyOf(findings), reason,
                List.of(), null, List.of(), null, injectionScore);
    }

    private static InputCheckedReply reply(CheckInputCommand command, Verdict verdict, CheckedInput.Rebuilt parts,
                                           List<Finding> findings, String warning, Double injectionScore) {
        return new InputCheckedReply(command.requestId(), verdict, parts.messages(), List.copyOf(findings), warning,
                parts.tools(), parts.responseFormatSchema(), parts.stop(), parts.user(), injectionScore);
    }

    private Outcome outcome(InputCheckedReply reply, NamedPolicy namedPolicy, long started) {
        Counter.builder("guardrails.verdicts").description("Checks by verdict and policy")
                .tag("verdict", reply.verdict().name()).tag("policy", namedPolicy.name())
                .register(meterRegistry).increment();
        Map<String, Boolean> owasp = new HashMap<>();
        for (Finding finding : reply.findings()) {
            Counter.builder("guardrails.findings").description("Detector findings by detector and category")
                    .tag("detector", finding.detector()).tag("category", finding.category())
                    .register(meterRegistry).increment();
            owasp.put(OwaspCategory.of(finding.category()), true);
        }
        return new Outcome(reply, namedPolicy.name(), owasp.keySet().stream().sorted().toList(),
                (System.nanoTime() - started) / 1_000);
    }
}
