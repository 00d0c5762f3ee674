package dev.genaiplatform.simulator.answer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds arithmetic in a question: two or more numbers joined by {@code + - * / ^ %} (or the words plus,
 * minus, times, multiplied by, divided by), with parentheses. "What is (2+3)*4?" gives {@code (2+3)*4};
 * "what is 12 times 7" gives {@code 12 * 7}. A plain number, or a date such as 2024-05-01, counts too
 * when it looks like an expression: the rule is lexical, not semantic.
 */
final class Arithmetic {

    private static final String OPERAND = "\\(*\\s*-?\\d+(?:\\.\\d+)?\\s*\\)*";
    private static final Pattern EXPRESSION = Pattern.compile(OPERAND + "(?:\\s*[-+*/^%]\\s*" + OPERAND + ")+");
    /** Operator words and signs, each with the operator it stands for. */
    private static final Map<Pattern, String> WORDS = new LinkedHashMap<>();

    static {
        WORDS.put(Pattern.compile("(?i)\\s+multiplied by\\s+"), " * ");
        WORDS.put(Pattern.compile("(?i)\\s+divided by\\s+"), " / ");
        WORDS.put(Pattern.compile("(?i)\\s+times\\s+"), " * ");
        WORDS.put(Pattern.compile("(?i)\\s+plus\\s+"), " + ");
        WORDS.put(Pattern.compile("(?i)\\s+minus\\s+"), " - ");
        WORDS.put(Pattern.compile("×"), "*");
        WORDS.put(Pattern.compile("÷"), "/");
    }

    private Arithmetic() {
    }

    static Optional<String> find(String text) {
        String normalized = text;
        for (Map.Entry<Pattern, String> word : WORDS.entrySet()) {
            normalized = word.getKey().matcher(normalized).replaceAll(Matcher.quoteReplacement(word.getValue()));
        }
        Matcher m = EXPRESSION.matcher(normalized);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(balance(m.group().strip().replaceAll("\\s+", " ")));
    }

    /** Drops the parentheses the match took from the surrounding sentence, e.g. "(what is 2+3)". */
    private static String balance(String expression) {
        String e = expression;
        while (count(e, '(') > count(e, ')') && e.startsWith("(")) {
            e = e.substring(1).strip();
        }
        while (count(e, ')') > count(e, '(') && e.endsWith(")")) {
            e = e.substring(0, e.length() - 1).strip();
        }
        return e;
    }

    private static long count(String s, char c) {
        return s.chars().filter(ch -> ch == c).count();
    }
}
