package dev.genaiplatform.retrieval.rewrite;

import dev.genaiplatform.contracts.retrieval.ConversationTurn;
import org.apache.lucene.analysis.en.EnglishAnalyzer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Query rewriting without a model: deterministic, instant, and the fallback whenever the model is off or fails.
 *
 * <p><b>Follow-up → standalone.</b> A short question that points back ("what if <i>it</i> is down?", "and the other
 * one?"; fewer than five content words) or says too little to search on (fewer than three) gets the previous user
 * question's content terms appended, names and identifiers first. A longer question keeps its pronouns to itself
 * ("how does the orchestrator match a reply to the command <i>it</i> sent?"). It does not decide <i>which</i> earlier thing "it" means
 * (a model does); it carries the previous topic along, which is what retrieval needs: the terms that find the
 * documents that conversation was about.
 *
 * <p><b>Alternatives.</b> A compound question ("how does X work, and what happens when Y?") is also searched as its
 * clauses, so each part can find its own document; and every rewrite is also searched as its bare content terms,
 * without the question's framing words, which sharpens the vector leg for wordy questions.
 */
public final class RuleBasedQueryRewriter implements QueryRewriter {

    /** Words that refer back to something said before. */
    private static final Set<String> REFERENCES = Set.of("it", "its", "they", "them", "their", "theirs", "this", "that",
            "these", "those", "there", "he", "she", "him", "her", "his", "one", "ones", "former", "latter", "same", "such",
            "else", "other", "instead");
    /** Words that frame a question without saying what it is about. */
    private static final Set<String> FRAMING = Set.of("what", "why", "how", "when", "where", "which", "who", "whom",
            "whose", "does", "do", "did", "is", "are", "was", "were", "can", "could", "should", "would", "will", "may",
            "might", "must", "about", "also", "then", "happens", "happen", "get", "gets", "much", "many", "i", "me", "my",
            "we", "our", "you", "your", "has", "have", "had", "so", "than", "too", "very", "just", "any", "some",
            "each", "every", "from", "up", "out", "off", "over", "under", "again", "more", "most");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\d][\\p{L}\\d'_-]*");
    private static final Pattern NAME = Pattern.compile("\\p{Lu}[\\p{L}\\d-]*|[\\p{L}]*\\d[\\p{L}\\d-]*|\\p{L}+-[\\p{L}-]+|\\p{L}+_[\\p{L}_]+");
    private static final Pattern CLAUSE_BREAK = Pattern.compile(
            "(?i)\\s*(?:;|\\?\\s+|,?\\s+and\\s+(?=(?:how|what|why|when|where|which|who|does|do|is|are|can|should)\\b))\\s*");
    private static final int CARRIED_TERMS = 6;
    private static final int MIN_CONTENT_WORDS = 3;
    /** A question this long names its own subject: its pronouns point inside it ("the command it sent"). */
    private static final int SELF_CONTAINED_CONTENT_WORDS = 5;

    private final int maxQueries;

    /** @param maxQueries most queries one rewrite searches (the standalone one included), at least 1 */
    public RuleBasedQueryRewriter(int maxQueries) {
        if (maxQueries < 1) {
            throw new IllegalArgumentException("maxQueries must be at least 1");
        }
        this.maxQueries = maxQueries;
    }

    @Override
    public QueryRewrite rewrite(String query, List<ConversationTurn> conversation) {
        String standalone = standalone(query.strip(), conversation == null ? List.of() : conversation);
        Set<String> queries = new LinkedHashSet<>();
        queries.add(standalone);
        List<String> clauses = clauses(standalone);
        if (clauses.size() > 1) {
            queries.addAll(clauses);
        }
        String keywords = String.join(" ", contentWords(standalone));
        if (contentWords(standalone).size() >= 2) {
            queries.add(keywords);
        }
        List<String> distinct = distinct(queries);
        return new QueryRewrite(query, standalone, distinct.subList(0, Math.min(maxQueries, distinct.size())), "rules");
    }

    String standalone(String query, List<ConversationTurn> conversation) {
        String previous = previousUserQuestion(query, conversation);
        if (previous == null) {
            return query;
        }
        List<String> words = words(query);
        int content = contentWords(query).size();
        boolean refersBack = content < MIN_CONTENT_WORDS
                || (content < SELF_CONTAINED_CONTENT_WORDS && words.stream().anyMatch(REFERENCES::contains));
        if (!refersBack) {
            return query;
        }
        Set<String> present = new LinkedHashSet<>();
        words.forEach(word -> present.add(stem(word)));
        List<String> carried = new ArrayList<>();
        for (String term : salientTerms(previous)) {
            if (carried.size() < CARRIED_TERMS && present.add(stem(term.toLowerCase(Locale.ROOT)))) {
                carried.add(term);
            }
        }
        return carried.isEmpty() ? query : query + " " + String.join(" ", carried);
    }

    /** The last user turn before this question (the question itself may already be the last turn). */
    private static String previousUserQuestion(String query, List<ConversationTurn> conversation) {
        for (int i = conversation.size() - 1; i >= 0; i--) {
            ConversationTurn turn = conversation.get(i);
            if (turn != null && "user".equals(turn.role()) && turn.content() != null && !turn.content().isBlank()
                    && !turn.content().strip().equals(query)) {
                return turn.content();
            }
        }
        return null;
    }

    /** Names and identifiers first (they find documents best), then the other content words, each once. */
    private static List<String> salientTerms(String text) {
        Map<String, String> names = new LinkedHashMap<>();
        List<String> content = contentWords(text);
        boolean first = true;
        for (Matcher m = WORD.matcher(text); m.find(); first = false) {
            String word = m.group();
            boolean capitalisedFirstWord = first && NAME.matcher(word).matches() && word.chars().skip(1).noneMatch(Character::isUpperCase);
            if (NAME.matcher(word).matches() && !capitalisedFirstWord && isContent(word.toLowerCase(Locale.ROOT))) {
                names.putIfAbsent(word.toLowerCase(Locale.ROOT), word);
            }
        }
        List<String> terms = new ArrayList<>(names.values());
        content.stream().filter(word -> !names.containsKey(word)).forEach(terms::add);
        return terms;
    }

    private static List<String> clauses(String question) {
        List<String> clauses = new ArrayList<>();
        for (String clause : CLAUSE_BREAK.split(question)) {
            if (contentWords(clause).size() >= 2) {
                clauses.add(clause.strip());
            }
        }
        return clauses;
    }

    static List<String> contentWords(String text) {
        return words(text).stream().filter(RuleBasedQueryRewriter::isContent).distinct().toList();
    }

    private static boolean isContent(String lowerCaseWord) {
        return lowerCaseWord.length() > 1 && !EnglishAnalyzer.ENGLISH_STOP_WORDS_SET.contains(lowerCaseWord)
                && !FRAMING.contains(lowerCaseWord) && !REFERENCES.contains(lowerCaseWord);
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (Matcher m = WORD.matcher(text); m.find(); ) {
            String word = m.group().toLowerCase(Locale.ROOT);
            words.add(word.endsWith("'s") ? word.substring(0, word.length() - 2) : word);
        }
        return words;
    }

    /** Plural and verb "s" only: enough to see "keys" in "key", not a linguistic stemmer. */
    private static String stem(String word) {
        return word.length() > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.substring(0, word.length() - 1) : word;
    }

    private static List<String> distinct(Set<String> queries) {
        Map<String, String> byLowerCase = new LinkedHashMap<>();
        queries.forEach(q -> byLowerCase.putIfAbsent(q.toLowerCase(Locale.ROOT), q));
        return new ArrayList<>(byLowerCase.values());
    }
}
