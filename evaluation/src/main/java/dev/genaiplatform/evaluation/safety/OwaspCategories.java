package dev.genaiplatform.evaluation.safety;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Guardrails label verdicts with the full OWASP names ({@code LLM02:2025 Sensitive Information Disclosure}); the
 * red-team suite uses the short ids ({@code LLM02}). Both reduce to the short id here, so offline and online
 * numbers meet on one key. A label outside the 2025 list becomes {@code other} rather than a new series.
 */
public final class OwaspCategories {

    /** The label of a verdict without any OWASP category (nothing found, or a finding with no mapping). */
    public static final String NONE = "none";
    public static final String OTHER = "other";

    private static final Pattern ID = Pattern.compile("^\\s*(LLM(?:0[1-9]|10))(?::2025)?(?:\\s.*)?$",
            Pattern.CASE_INSENSITIVE);

    private OwaspCategories() {
    }

    /** {@code LLM01}..{@code LLM10} or {@link #OTHER}. */
    public static String shortId(String label) {
        if (label == null) {
            return OTHER;
        }
        Matcher matcher = ID.matcher(label);
        return matcher.matches() ? matcher.group(1).toUpperCase(java.util.Locale.ROOT) : OTHER;
    }

    /** The distinct short ids of an event's labels, in first-seen order; empty for none. */
    public static List<String> shortIds(List<String> labels) {
        if (labels == null) {
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        labels.forEach(label -> ids.add(shortId(label)));
        return List.copyOf(ids);
    }
}
