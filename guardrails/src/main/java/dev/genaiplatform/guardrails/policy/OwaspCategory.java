package dev.genaiplatform.guardrails.policy;

import dev.genaiplatform.guardrails.moderation.ModerationCategory;

import java.util.Set;

/**
 * Labels each finding with its risk in the OWASP Top 10 for LLM Applications (2025), so evaluation can line up
 * what guardrails saw online with what it measures offline, risk by risk.
 */
public final class OwaspCategory {

    public static final String PROMPT_INJECTION = "LLM01:2025 Prompt Injection";
    public static final String SENSITIVE_INFORMATION_DISCLOSURE = "LLM02:2025 Sensitive Information Disclosure";
    public static final String IMPROPER_OUTPUT_HANDLING = "LLM05:2025 Improper Output Handling";
    public static final String SYSTEM_PROMPT_LEAKAGE = "LLM07:2025 System Prompt Leakage";
    public static final String UNBOUNDED_CONSUMPTION = "LLM10:2025 Unbounded Consumption";

    /** Category name of the injection findings. */
    public static final String PROMPT_INJECTION_CATEGORY = "PROMPT_INJECTION";

    private static final Set<String> INJECTION = Set.of(PROMPT_INJECTION_CATEGORY);
    private static final Set<String> CONSUMPTION = Set.of("INPUT_TOO_LARGE");
    private static final Set<String> LEAKAGE = Set.of("SYSTEM_PROMPT_LEAK");

    /**
     * The OWASP risk of a finding category; personal data and secrets are sensitive information. Harmful content
     * has no OWASP entry: its label is the MLCommons hazard ({@link ModerationCategory#taxonomyLabel()}).
     */
    public static String of(String category) {
        var moderation = ModerationCategory.of(category);
        if (moderation.isPresent()) {
            return moderation.get().taxonomyLabel();
        }
        if (INJECTION.contains(category)) {
            return PROMPT_INJECTION;
        }
        if (CONSUMPTION.contains(category)) {
            return UNBOUNDED_CONSUMPTION;
        }
        if (category.equals("EXFILTRATION_LINK")) {
            return IMPROPER_OUTPUT_HANDLING;
        }
        if (LEAKAGE.contains(category)) {
            return SYSTEM_PROMPT_LEAKAGE;
        }
        return SENSITIVE_INFORMATION_DISCLOSURE;
    }

    private OwaspCategory() {
    }
}
