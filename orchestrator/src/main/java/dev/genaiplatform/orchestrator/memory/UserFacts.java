package dev.genaiplatform.orchestrator.memory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Long-term facts a user states about themself ("my name is Ada", "I work at Initech", "I prefer short answers"),
 * taken from the question as guardrails let it through. Rules, not a model: a fact is kept only when the user said
 * it in so many words, so a reader can predict what is remembered, and extraction costs microseconds, no model call.
 * Each fact has a slot; a newer statement for the same slot replaces the older one ("I live in Lyon" after "I live in
 * Paris").
 */
final class UserFacts {

    /** Longest fact value kept: a sentence fragment, not a paragraph. */
    static final int MAX_VALUE = 80;

    private record Rule(Pattern pattern, String slot, String template) {
    }

    private static final String VALUE = "([^.!?,;\\n]{1," + MAX_VALUE + "})";
    private static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        rule("name", "(?:my name is|call me)\\s+" + VALUE, "The user's name is %s.");
        rule("employer", "i work (?:at|for)\\s+" + VALUE, "The user works at %s.");
        rule("home", "i live in\\s+" + VALUE, "The user lives in %s.");
        rule("role", "i(?:'m| am) an?\\s+" + VALUE, "The user is a %s.");
        rule("preference", "i (?:prefer|like)\\s+" + VALUE, "The user prefers %s.");
        rule("language", "(?:please )?(?:answer|reply) (?:me )?in\\s+([A-Za-z]{3,20})", "The user wants answers in %s.");
    }

    private static void rule(String slot, String regex, String template) {
        RULES.put(slot, new Rule(Pattern.compile("(?i)(?:^|[.!?;,]\\s*|\\b)" + regex), slot, template));
    }

    private UserFacts() {
    }

    /** The facts stated in a text, by slot, as sentences for the prompt; empty when none. */
    static Map<String, String> extract(String text) {
        Map<String, String> facts = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return facts;
        }
        for (Rule rule : RULES.values()) {
            Matcher matcher = rule.pattern().matcher(text);
            String value = null;
            while (matcher.find()) {
                value = clean(matcher.group(1));   // the last statement in the text wins
            }
            if (value != null && !value.isEmpty()) {
                facts.put(rule.slot(), rule.template().formatted(value));
            }
        }
        return facts;
    }

    /** Trims the value at a clause that starts a new thought ("and", "but", "so") and drops a question tail. */
    private static String clean(String value) {
        String cleaned = value.strip();
        for (String stop : new String[] {" and ", " but ", " so ", " because ", " - ", " what ", " how ", " which "}) {
            int at = cleaned.toLowerCase(Locale.ROOT).indexOf(stop);
            if (at > 0) {
                cleaned = cleaned.substring(0, at).strip();
            }
        }
        return cleaned;
    }
}
