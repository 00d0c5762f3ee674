package dev.genaiplatform.orchestrator.routing;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A cheap guess (microseconds, no model) at how hard a question is, from surface features: length, how many
 * questions it asks, words that ask for reasoning rather than lookup, code and arithmetic. It is a heuristic,
 * calibrated on the committed routing question set; a trained classifier would do better and cost a model call
 * or an embedding.
 */
public final class ComplexityEstimate {

    private static final List<String> REASONING = List.of("why", "compare", "trade-off", "tradeoff", "trade off",
            "explain", "design", "analy", "evaluate", "prove", "derive", "step by step", "difference between",
            "pros and cons", "implications", "should i", "recommend", "optimi", "architecture", "justify",
            "what would happen", "how would you", "plan ");
    private static final Pattern CODE = Pattern.compile("```|\\b(def|class|public|function|SELECT|import)\\b|[{};]\\s*$",
            Pattern.MULTILINE);
    private static final Pattern ARITHMETIC = Pattern.compile("\\d+\\s*[-+*/^%]\\s*\\d+|\\bcalculate\\b|\\bestimate\\b");

    private ComplexityEstimate() {
    }

    /** 0 for a one-line lookup, towards 1 for long multi-part reasoning. */
    public static double of(String question) {
        if (question == null || question.isBlank()) {
            return 0;
        }
        String text = question.toLowerCase(Locale.ROOT);
        int words = text.split("\\s+").length;
        double score = Math.min(0.35, words / 120.0);
        long questions = text.chars().filter(c -> c == '?').count();
        score += Math.min(0.2, Math.max(0, questions - 1) * 0.1);
        long reasoning = REASONING.stream().filter(text::contains).count();
        score += Math.min(0.45, reasoning * 0.25);
        if (CODE.matcher(question).find()) {
            score += 0.2;
        }
        if (ARITHMETIC.matcher(text).find()) {
            score += 0.15;
        }
        return Math.min(1.0, score);
    }
}
