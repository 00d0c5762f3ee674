package dev.genaiplatform.simulator.answer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
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
 *   <li>a string whose schema has a {@code pattern} (or {@code format: email}): the word of the question the
 *       pattern accepts ("ada@example.com", "HO-123456", "2026-11-03"), when there is one;</li>
 *   <li>numbers: the numbers standing on their own in the question, in order, one per numeric parameter;</li>
 *   <li>booleans: false; arrays: one item.</li>
 * </ul>
 */
final class QuestionValues implements SchemaValues {

    static final Set<String> EXPRESSION_NAMES = Set.of("expression", "expr", "formula", "input", "query");
    private static final Set<String> LOCATION = Set.of("location", "city", "place", "country", "region", "address");
    private static final Pattern PROPER_NOUNS = Pattern.compile(
            "(?<=\\S\\s)(\\p{Lu}[\\p{L}'-]+(?:\\s+\\p{Lu}[\\p{L}'-]+)*)");
    private static final Pattern AFTER_PREPOSITION = Pattern.compile("(?i).*\\b(?:in|at|for)\\s+([^?.!,]+)");
    /**
     * A number standing on its own: not the digits of an identifier ("HO-123456"), a date ("2026-11-03") or a
     * version ("v1.3"); thousands separators allowed ("1,250.50").
     */
    private static final Pattern NUMBER = Pattern.compile(
            "(?<![\\p{L}\\p{N}_\\-/:.])-?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?![\\p{L}\\p{N}_\\-/:])");
    /** Characters around a word that are punctuation of the sentence, not part of a value. */
    private static final Pattern WORD_EDGES = Pattern.compile("^[\\p{Punct}&&[^+#@]]+|[\\p{Punct}&&[^#]]+$");

    private final String question;
    private final String original;
    private final String expression;
    private final String expressionParameter;
    private final List<Double> numbers = new ArrayList<>();
    private int nextNumber;

    /**
     * @param expression          the arithmetic to pass, or null
     * @param expressionParameter the parameter that receives it, or null
     */
    QuestionValues(String question, String expression, String expressionParameter) {
        this.original = question;
        this.question = question.strip().replaceAll("[?.!]+$", "").strip();
        this.expression = expression;
        this.expressionParameter = expressionParameter;
        Matcher m = NUMBER.matcher(question);
        while (m.find()) {
            numbers.add(Double.parseDouble(m.group().replace(",", "")));
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

    /** The words of the question, stripped of sentence punctuation, that the pattern accepts; the index-th, else the first. */
    @Override
    public Optional<String> matching(Pattern pattern, int index) {
        List<String> found = new ArrayList<>();
        for (String word : original.split("\\s+")) {
            String value = WORD_EDGES.matcher(word).replaceAll("");
            if (!value.isEmpty() && pattern.matcher(value).find()) {
                found.add(value);
            }
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(found.get(index < found.size() ? index : 0));
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
