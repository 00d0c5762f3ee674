package dev.genaiplatform.simulator.answer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tool arguments taken from the question, by parameter name:
 * <ul>
 *   <li>the arithmetic expression, when there is one, goes to the parameter named expression, expr,
 *       formula, input or query, else to the first string parameter;</li>
 *   <li>location-like names (location, city, place, country, region, address): the capitalised words
 *       that do not start the sentence ("Paris", "New York"), else the words after the last "in", "at"
 *       or "for";</li>
 *   <li>any other string: the question itself, without its closing punctuation;</li>
 *   <li>numbers: the numbers of the question in order, one per numeric parameter;</li>
 *   <li>booleans: false; arrays: one item.</li>
 * </ul>
 */
final class QuestionValues implements SchemaValues {

    static final Set<String> EXPRESSION_NAMES = Set.of("expression", "expr", "formula", "input", "query");
    private static final Set<String> LOCATION = Set.of("location", "city", "place", "country", "region", "address");
    private static final Pattern PROPER_NOUNS = Pattern.compile(
            "(?<=\\S\\s)(\\p{Lu}[\\p{L}'-]+(?:\\s+\\p{Lu}[\\p{L}'-]+)*)");
    private static final Pattern AFTER_PREPOSITION = Pattern.compile("(?i).*\\b(?:in|at|for)\\s+([^?.!,]+)");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");

    private final String question;
    private final String expression;
    private final String expressionParameter;
    private final List<Double> numbers = new ArrayList<>();
    private int nextNumber;

    /**
     * @param expression          the arithmetic to pass, or null
     * @param expressionParameter the parameter that receives it, or null
     */
    QuestionValues(String question, String expression, String expressionParameter) {
        this.question = question.strip().replaceAll("[?.!]+$", "").strip();
        this.expression = expression;
        this.expressionParameter = expressionParameter;
        Matcher m = NUMBER.matcher(question);
        while (m.find()) {
            numbers.add(Double.parseDouble(m.group()));
        }
    }

    /**
     * The question without the words that look like argument values rather than a request: capitalised
     * words after the first, numbers, and the given enum values.
     */
    static String withoutValues(String question, Collection<String> enumValues) {
        String rest = NUMBER.matcher(PROPER_NOUNS.matcher(question).replaceAll(" ")).replaceAll(" ");
        for (String value : enumValues) {
            rest = Pattern.compile("(?i)\\b" + Pattern.quote(value) + "\\b").matcher(rest).replaceAll(" ");
        }
        return rest;
    }

    @Override
    public String string(String property, int index) {
        if (expression != null && property.equals(expressionParameter)) {
            return expression;
        }
        if (LOCATION.contains(ContextValues.normalize(property))) {
            Matcher proper = PROPER_NOUNS.matcher(question);
            if (proper.find()) {
                return proper.group(1);
            }
            Matcher after = AFTER_PREPOSITION.matcher(question);
            if (after.matches()) {
                return after.group(1).strip();
            }
        }
        return question;
    }

    @Override
    public OptionalDouble number(String property, int index) {
        return nextNumber < numbers.size() ? OptionalDouble.of(numbers.get(nextNumber++)) : OptionalDouble.empty();
    }

    @Override
    public boolean bool(String property) {
        return false;
    }

    @Override
    public int items(String property) {
        return 1;
    }
}
