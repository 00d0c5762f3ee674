package dev.genaiplatform.evaluation.scoring;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How every offline metric reads text: NFKC, lower case, citation markers ({@code [2]}) removed, split on
 * anything that is not a letter or digit. Words keep hyphen-free pieces ("e-mail" is "e" and "mail") on both
 * sides, so the comparison is fair even when it is crude.
 */
public final class Words {

    private static final Pattern MARKER = Pattern.compile("\\[\\d+]");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    /** SQuAD's answer normalisation drops articles; the content-word view drops common function words too. */
    private static final Set<String> ARTICLES = Set.of("a", "an", "the");
    private static final Set<String> FUNCTION_WORDS = Set.of("a", "an", "the", "and", "or", "of", "to", "in", "on",
            "at", "by", "for", "with", "from", "as", "is", "are", "was", "were", "be", "been", "it", "its", "this",
            "that", "these", "those", "so", "but", "not", "no", "than", "then", "which", "what", "who", "how",
            "why", "when", "where", "do", "does", "did", "can", "into", "each", "every", "any", "one", "there");

    private Words() {
    }

    /** Every word except articles, in order, repeats kept: the token view of answer correctness. */
    public static List<String> tokens(String text) {
        return split(text, ARTICLES);
    }

    /** Words that carry meaning: what groundedness looks for in a passage. */
    public static List<String> contentWords(String text) {
        return split(text, FUNCTION_WORDS);
    }

    /** The text without citation markers, for showing and comparing. */
    public static String withoutMarkers(String text) {
        return text == null ? "" : MARKER.matcher(text).replaceAll("").replaceAll("\\s+", " ").trim();
    }

    private static List<String> split(String text, Set<String> dropped) {
        List<String> words = new ArrayList<>();
        if (text == null) {
            return words;
        }
        String normal = Normalizer.normalize(withoutMarkers(text), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        for (String word : NON_WORD.split(normal)) {
            if (!word.isEmpty() && !dropped.contains(word)) {
                words.add(word);
            }
        }
        return words;
    }
}
