package dev.genaiplatform.simulator.answer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Structured output's values, taken from the grounded answer by property name (case and {@code _}/{@code -}
 * ignored):
 * <ul>
 *   <li>answer-like strings (answer, summary, text, explanation, response, content, reason, reasoning,
 *       description, details, message, result): the quoted sentences joined, without markers, or
 *       "I don't know..." when nothing is relevant;</li>
 *   <li>title-like strings (title, name, topic, heading, subject, label): the last heading of the first
 *       cited passage's source;</li>
 *   <li>question-like strings (question, query): the question;</li>
 *   <li>citation-like properties (citations, sources, references, and their singulars): one item per
 *       cited passage, the passage number for numbers, its source for strings;</li>
 *   <li>any other string: the quoted sentences in turn; any other array: one item per quoted sentence;</li>
 *   <li>numbers: count-like names (count, total, number) the number of quoted sentences, confidence-like
 *       names (confidence, score, probability, relevance, certainty) 0.9 when grounded and 0.1 when not,
 *       anything else the schema's minimum or 0;</li>
 *   <li>booleans: whether the context answers the question, negated for names that say the opposite
 *       (uncertain, unknown, unanswerable, missing, refused).</li>
 * </ul>
 */
final class ContextValues implements SchemaValues {

    private static final Set<String> ANSWER = Set.of("answer", "summary", "text", "explanation", "response",
            "content", "reason", "reasoning", "description", "details", "message", "result");
    private static final Set<String> TITLE = Set.of("title", "name", "topic", "heading", "subject", "label");
    private static final Set<String> QUESTION = Set.of("question", "query");
    private static final Set<String> CITATION = Set.of("citations", "citation", "sources", "source", "references",
            "reference");
    private static final Pattern COUNT = Pattern.compile("count|total|number|num");
    private static final Pattern CONFIDENCE = Pattern.compile("confidence|score|probability|relevance|certainty");
    private static final Pattern NEGATIVE = Pattern.compile("uncertain|unknown|unanswerable|missing|refus");

    private final GroundedAnswer answer;
    private final String question;
    private final Map<Integer, String> cited = new LinkedHashMap<>();
    private int nextQuote;

    ContextValues(GroundedAnswer answer, String question) {
        this.answer = answer;
        this.question = question;
        answer.quotes().forEach(q -> cited.putIfAbsent(q.passage(), q.source()));
    }

    /** The answer's sentences without their {@code [n]} markers, or the answer's text when it quotes nothing. */
    static String plainAnswer(GroundedAnswer answer) {
        return answer.quotes().isEmpty() ? answer.text()
                : answer.quotes().stream().map(GroundedAnswer.Quote::text).collect(Collectors.joining(" "));
    }

    @Override
    public String string(String property, int index) {
        String name = normalize(property);
        if (ANSWER.contains(name)) {
            return plainAnswer(answer);
        }
        if (TITLE.contains(name)) {
            return answer.quotes().isEmpty() ? "Unknown" : lastHeading(answer.quotes().getFirst().source());
        }
        if (QUESTION.contains(name)) {
            return question;
        }
        if (CITATION.contains(name)) {
            List<String> sources = new ArrayList<>(cited.values());
            return sources.isEmpty() ? "" : sources.get(index % sources.size());
        }
        if (answer.quotes().isEmpty()) {
            return answer.text();
        }
        return answer.quotes().get(nextQuote++ % answer.quotes().size()).text();
    }

    @Override
    public OptionalDouble number(String property, int index) {
        String name = normalize(property);
        if (CITATION.contains(name)) {
            List<Integer> passages = new ArrayList<>(cited.keySet());
            return passages.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(passages.get(index % passages.size()));
        }
        if (CONFIDENCE.matcher(name).find()) {
            return OptionalDouble.of(answer.grounded() ? 0.9 : 0.1);
        }
        if (COUNT.matcher(name).find()) {
            return OptionalDouble.of(answer.quotes().size());
        }
        return OptionalDouble.empty();
    }

    @Override
    public boolean bool(String property) {
        return NEGATIVE.matcher(normalize(property)).find() != answer.grounded();
    }

    @Override
    public int items(String property) {
        return CITATION.contains(normalize(property)) ? cited.size() : answer.quotes().size();
    }

    static String normalize(String property) {
        return property.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    private static String lastHeading(String source) {
        Matcher last = Pattern.compile("[^>]+$").matcher(source);
        return last.find() && !last.group().isBlank() ? last.group().strip() : source;
    }
}
