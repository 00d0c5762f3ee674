package dev.genaiplatform.guardrails.moderation;

import dev.genaiplatform.guardrails.detection.CheckedText;
import dev.genaiplatform.guardrails.detection.Detection;
import dev.genaiplatform.guardrails.detection.InputDetector;
import dev.genaiplatform.guardrails.injection.NormalisedText;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Harmful content (violence, self-harm, hate and harassment, sexual content involving minors, instructions for
 * crimes and weapons) in what the user writes and in answers.
 *
 * <ol>
 *   <li>Normalise like the injection check ({@link NormalisedText}: case, homoglyphs, zero-width, leetspeak).</li>
 *   <li>Rules ({@link ModerationRules}): a hit is a span of its category at the original offsets.</li>
 *   <li>Classifier ({@link ModerationClassifier}, optional): a score per category; the policy's
 *       {@code moderation-threshold} decides.</li>
 *   <li>Hosted endpoint ({@link HostedModerationClient}, optional, configuration only): its scores, when it
 *       answers, raise the classifier's (the higher counts).</li>
 * </ol>
 *
 * <p>On input only user messages are read: the operator's system prompt is trusted, and retrieved documents and
 * tool results may legitimately discuss crime or violence (they are scanned for injection instead).
 */
public final class ModerationDetector implements InputDetector {

    public static final String NAME = "moderation";

    private final ModerationClassifier classifier;
    private final HostedModerationClient hosted;

    /** @param classifier null for rules only; @param hosted null unless configured */
    public ModerationDetector(ModerationClassifier classifier, HostedModerationClient hosted) {
        this.classifier = classifier;
        this.hosted = hosted;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Detection> detect(List<CheckedText> texts) {
        List<Detection> detections = new ArrayList<>();
        for (int index = 0; index < texts.size(); index++) {
            CheckedText text = texts.get(index);
            if (!text.source().equals("user") || text.text().isBlank()) {
                continue;
            }
            Assessment assessment = assess(text.text());
            for (Assessment.Span span : assessment.spans()) {
                detections.add(new Detection.Span(NAME, span.category().name(), index, span.start(), span.end()));
            }
            int textIndex = index;
            assessment.scores().forEach((category, score) ->
                    detections.add(new Detection.Score(NAME, category.name(), textIndex, score)));
        }
        return detections;
    }

    /** Rule spans at original offsets, and a score per category (empty without a classifier or endpoint). */
    public record Assessment(List<Span> spans, Map<ModerationCategory, Double> scores) {

        public record Span(ModerationCategory category, int start, int end) {
        }

        /** Categories a rule hit or whose score reached {@code threshold}, in declaration order. */
        public List<ModerationCategory> flagged(double threshold) {
            return java.util.Arrays.stream(ModerationCategory.values())
                    .filter(category -> spans.stream().anyMatch(span -> span.category() == category)
                            || scores.getOrDefault(category, 0.0) >= threshold)
                    .toList();
        }
    }

    public Assessment assess(String original) {
        NormalisedText normalised = NormalisedText.of(original);
        List<Assessment.Span> spans = new ArrayList<>();
        for (ModerationRules.Hit hit : ModerationRules.find(normalised.text())) {
            int start = normalised.originalStart(hit.start());
            int end = normalised.originalEnd(hit.end(), original);
            if (end > start) {
                spans.add(new Assessment.Span(hit.category(), start, end));
            }
        }
        Map<ModerationCategory, Double> scores = new EnumMap<>(ModerationCategory.class);
        if (classifier != null) {
            scores.putAll(classifier.score(normalised.text()));
        }
        if (hosted != null) {
            hosted.score(original).forEach((category, score) -> scores.merge(category, score, Math::max));
        }
        return new Assessment(spans, scores);
    }
}
