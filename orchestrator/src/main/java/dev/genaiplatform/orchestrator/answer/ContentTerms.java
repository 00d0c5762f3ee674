package dev.genaiplatform.orchestrator.answer;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The content words of a text: lower-cased, split at anything that is not a letter or digit, without English
 * function words, each reduced by a few suffix rules ("passages" and "passage" match, "ranking" and "rank"). Crude
 * on purpose: deterministic, explainable, microseconds; it does not know synonyms ("change" never matches
 * "update") or other languages.
 */
public final class ContentTerms {

    static final Set<String> STOP_WORDS = Set.of(
            "a", "an", "the", "and", "or", "but", "if", "then", "else", "of", "to", "in", "on", "at", "by", "for",
            "with", "from", "into", "about", "as", "is", "are", "was", "were", "be", "been", "being", "am", "do",
            "does", "did", "doing", "done", "have", "has", "had", "having", "can", "could", "should", "would", "will",
            "shall", "may", "might", "must", "what", "which", "who", "whom", "whose", "when", "where", "why", "how",
            "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her", "it", "its", "they",
            "them", "their", "this", "that", "these", "those", "there", "here", "not", "no", "yes", "so", "than",
            "too", "very", "just", "also", "any", "all", "some", "each", "every", "more", "most", "other", "such",
            "only", "own", "same", "up", "down", "out", "over", "under", "again", "once", "please", "tell", "explain",
            "describe", "show", "give", "get", "know", "want", "need", "like", "use", "used", "using", "work", "works",
            "thing", "things", "way", "ways", "one", "ones");

    private ContentTerms() {
    }

    public static Set<String> of(String text) {
        Set<String> terms = new LinkedHashSet<>();
        scan(text, terms::add);
        return terms;
    }

    /**
     * The share of {@code question}'s terms that the texts contain, read as one text: {@code overlap(question,
     * of(String.join(" ", texts)))} without building the texts' set of terms or joining them (wave 14: a passage's
     * set, built to be looked up a handful of times, was most of the answer-kind rules' cost). Null texts count as
     * empty.
     */
    public static double overlap(Set<String> question, String... texts) {
        if (question.isEmpty()) {
            return 0;
        }
        Set<String> shared = new HashSet<>();
        for (String text : texts) {
            scan(text, term -> {
                if (question.contains(term)) {
                    shared.add(term);
                }
            });
        }
        return (double) shared.size() / question.size();
    }

    private static void scan(String text, Consumer<String> terms) {
        if (text == null) {
            return;
        }
        // the words of split("[^\\p{L}\\p{N}]+"), found by a scan: the regex was most of this method's cost per passage
        String lower = text.toLowerCase(Locale.ROOT);
        int start = -1;
        for (int i = 0; i < lower.length(); ) {
            int codePoint = lower.codePointAt(i);
            boolean inWord = isLetterOrNumber(codePoint);
            if (inWord && start < 0) {
                start = i;
            }
            else if (!inWord && start >= 0) {
                add(terms, lower.substring(start, i));
                start = -1;
            }
            i += Character.charCount(codePoint);
        }
        if (start >= 0) {
            add(terms, lower.substring(start));
        }
    }

    private static void add(Consumer<String> terms, String word) {
        if (word.length() >= 2 && !STOP_WORDS.contains(word)) {
            terms.accept(stem(word));
        }
    }

    /** {@code \\p{L}} or {@code \\p{N}}: any letter, or a decimal, letter or other number. */
    private static boolean isLetterOrNumber(int codePoint) {
        if (Character.isLetter(codePoint)) {
            return true;
        }
        int type = Character.getType(codePoint);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /** The share of {@code question}'s terms that {@code passage} contains; 0 when the question has none. */
    public static double overlap(Set<String> question, Set<String> passage) {
        if (question.isEmpty()) {
            return 0;
        }
        long shared = question.stream().filter(passage::contains).count();
        return (double) shared / question.size();
    }

    /** Plural first, then "-ing" / "-ed": "rankings" becomes "ranking", then "rank". */
    static String stem(String word) {
        String stem = word;
        if (stem.length() > 4 && stem.endsWith("ies")) {
            stem = stem.substring(0, stem.length() - 3) + "y";
        }
        else if (stem.length() > 3 && stem.endsWith("s") && !stem.endsWith("ss")) {
            stem = stem.substring(0, stem.length() - 1);
        }
        if (stem.length() > 5 && stem.endsWith("ing")) {
            stem = stem.substring(0, stem.length() - 3);
        }
        else if (stem.length() > 4 && stem.endsWith("ed")) {
            stem = stem.substring(0, stem.length() - 2);
        }
        return stem;
    }
}
