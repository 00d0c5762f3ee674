package dev.genaiplatform.guardrails.injection;

import dev.genaiplatform.guardrails.detection.CheckedInput;
import dev.genaiplatform.guardrails.detection.CheckedText;
import dev.genaiplatform.guardrails.detection.Detection;
import dev.genaiplatform.guardrails.detection.InputDetector;
import dev.genaiplatform.guardrails.policy.OwaspCategory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Direct and indirect prompt injection in the texts a model will read as data or as the user's words: user
 * messages, tool results and tool definitions (a poisoned tool description is an injection too). The operator's
 * system prompt and the model's own turns are not scanned: they are instructions by design.
 *
 * <ol>
 *   <li>Normalise ({@link NormalisedText}): format characters out, NFKC case folding, confusables skeleton,
 *       leetspeak.</li>
 *   <li>Decode hidden payloads ({@link EncodedPayloads}: base64, hex, ROT13) and read them too.</li>
 *   <li>Rules ({@link InjectionRules}): a hit is a {@code PROMPT_INJECTION} span at the original offsets (for a
 *       decoded payload, the encoded run).</li>
 *   <li>Classifier ({@link InjectionClassifier}, optional): one score per text (the highest over its windows and
 *       its decoded payloads); the policy's threshold decides.</li>
 * </ol>
 */
public final class PromptInjectionDetector implements InputDetector {

    public static final String NAME = "injection";
    private static final Set<String> UNTRUSTED = Set.of("user", "tool", CheckedInput.TOOL_DEFINITION);

    private final InjectionClassifier classifier;

    /** @param classifier the trained classifier, or null for rules only */
    public PromptInjectionDetector(InjectionClassifier classifier) {
        this.classifier = classifier;
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
            if (!UNTRUSTED.contains(text.source()) || text.text().isBlank()) {
                continue;
            }
            Assessment assessment = assess(text.text());
            for (int[] span : assessment.spans()) {
                detections.add(new Detection.Span(NAME, OwaspCategory.PROMPT_INJECTION_CATEGORY, index, span[0], span[1]));
            }
            if (classifier != null) {
                detections.add(new Detection.Score(NAME, OwaspCategory.PROMPT_INJECTION_CATEGORY, index, assessment.score()));
            }
        }
        return detections;
    }

    /** Rule spans (original offsets) and the classifier's score of one text. */
    public record Assessment(List<int[]> spans, double score) {
    }

    public Assessment assess(String original) {
        List<int[]> spans = new ArrayList<>();
        NormalisedText normalised = NormalisedText.of(original);
        for (InjectionRules.Hit hit : InjectionRules.find(normalised.text())) {
            spans.add(new int[] {normalised.originalStart(hit.start()), normalised.originalEnd(hit.end(), original)});
        }
        String rot13 = EncodedPayloads.rot13(normalised.text());
        for (InjectionRules.Hit hit : InjectionRules.find(rot13)) {
            spans.add(new int[] {normalised.originalStart(hit.start()), normalised.originalEnd(hit.end(), original)});
        }
        List<EncodedPayloads.Payload> payloads = EncodedPayloads.find(original);
        for (EncodedPayloads.Payload payload : payloads) {
            if (!InjectionRules.find(NormalisedText.of(payload.decoded()).text()).isEmpty()) {
                spans.add(new int[] {payload.start(), payload.end()});
            }
        }
        double score = 0;
        if (classifier != null) {
            score = classifier.score(normalised.text());
            for (EncodedPayloads.Payload payload : payloads) {
                score = Math.max(score, classifier.score(NormalisedText.of(payload.decoded()).text()));
            }
        }
        return new Assessment(spans, spans.isEmpty() ? score : Math.max(score, 1.0));
    }
}
