package dev.genaiplatform.guardrails.policy;

import dev.genaiplatform.guardrails.moderation.ModerationCategory;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One named policy, configured under {@code platform.guardrails.policies.<name>}: which checks run, how
 * sensitive the injection check is, and what happens to each category found.
 *
 * @param detectors          the checks to run, from {@code pii} (shaped data: e-mails, phones, cards, IBANs,
 *                           national ids, IP addresses, secrets, dates of birth), {@code ner} (names and
 *                           addresses, the trained model) and {@code injection} (normalisation, rules and the
 *                           classifier). The size limit always runs.
 * @param defaultAction      what happens to a category the {@code actions} map does not name
 * @param actions            per category (e.g. {@code US_SSN: BLOCK}, {@code PERSON: PSEUDONYMISE},
 *                           {@code PROMPT_INJECTION: BLOCK}); keys are category names, case-insensitive
 * @param injectionThreshold the classifier score in [0, 1] at or above which a text counts as an injection;
 *                           a rule hit always counts
 * @param moderationThreshold the moderation classifier's score in [0, 1] at or above which a text counts as
 *                           harmful in a category (a rule hit always counts); default 0.5
 */
public record GuardrailPolicy(Set<String> detectors, Action defaultAction, Map<String, Action> actions,
                              double injectionThreshold, Double moderationThreshold) {

    public static final String PII = "pii";
    public static final String NER = "ner";
    public static final String INJECTION = "injection";
    public static final String MODERATION = "moderation";
    public static final double DEFAULT_MODERATION_THRESHOLD = 0.5;

    public GuardrailPolicy {
        detectors = detectors == null ? Set.of(PII, NER, INJECTION, MODERATION) : Set.copyOf(detectors);
        moderationThreshold = moderationThreshold == null ? DEFAULT_MODERATION_THRESHOLD : moderationThreshold;
        if (moderationThreshold <= 0 || moderationThreshold > 1) {
            throw new IllegalArgumentException("moderation-threshold must be in (0, 1], was " + moderationThreshold);
        }
        defaultAction = defaultAction == null ? Action.MASK : defaultAction;
        actions = actions == null ? Map.of() : Map.copyOf(actions);
        if (injectionThreshold <= 0 || injectionThreshold > 1) {
            throw new IllegalArgumentException("injection-threshold must be in (0, 1], was " + injectionThreshold);
        }
    }

    public boolean runs(String detector) {
        return detectors.contains(detector);
    }

    public Action actionFor(String category) {
        for (Map.Entry<String, Action> entry : actions.entrySet()) {
            if (entry.getKey().toUpperCase(Locale.ROOT).equals(category)) {
                return entry.getValue();
            }
        }
        if (category.equals(OwaspCategory.PROMPT_INJECTION_CATEGORY)) {
            return Action.BLOCK;
        }
        // harmful content is never masked: without an explicit action, the category's own (block, or warn)
        return ModerationCategory.of(category).map(ModerationCategory::defaultAction).orElse(defaultAction);
    }
}
