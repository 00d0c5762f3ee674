package dev.genaiplatform.simulator.answer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns text into the content words that relevance is measured on: lower case, split at anything that
 * is not a letter or digit, stop words dropped, then a light suffix stemmer, so "ranks", "ranked" and
 * "ranking" all count as "rank". Deliberately simple: an offline stand-in for a model's understanding.
 */
final class TermAnalyzer {

    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final String STOP_WORDS = "/simulator/stopwords.txt";

    private final Set<String> stopWords;

    TermAnalyzer(Set<String> stopWords) {
        this.stopWords = Set.copyOf(stopWords);
    }

    static TermAnalyzer english() {
        try (InputStream in = TermAnalyzer.class.getResourceAsStream(STOP_WORDS)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + STOP_WORDS);
            }
            Set<String> words = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .collect(Collectors.toSet());
            return new TermAnalyzer(words);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> terms(String text) {
        List<String> terms = new ArrayList<>();
        for (String word : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            if (word.length() > 1 && !stopWords.contains(word)) {
                terms.add(stem(word));
            }
        }
        return terms;
    }

    /** Plural, -ing, -ed and a final -e removed, in that order, never leaving fewer than three letters. */
    static String stem(String word) {
        String w = word;
        if (w.length() > 4 && w.endsWith("ies")) {
            w = w.substring(0, w.length() - 3) + "y";
        } else if (w.endsWith("sses")) {
            w = w.substring(0, w.length() - 2);
        } else if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) {
            w = w.substring(0, w.length() - 1);
        }
        if (w.length() >= 7 && w.endsWith("ing")) {
            w = undouble(w.substring(0, w.length() - 3));
        } else if (w.length() >= 6 && w.endsWith("ed")) {
            w = undouble(w.substring(0, w.length() - 2));
        }
        if (w.length() > 4 && w.endsWith("e")) {
            w = w.substring(0, w.length() - 1);
        }
        return w;
    }

    /** "embedd" → "embed", "runn" → "run", but "install" and "access" keep their double letter. */
    private static String undouble(String w) {
        int n = w.length();
        if (n >= 4 && w.charAt(n - 1) == w.charAt(n - 2) && "lsz".indexOf(w.charAt(n - 1)) < 0
                && "aeiou".indexOf(w.charAt(n - 1)) < 0) {
            return w.substring(0, n - 1);
        }
        return w;
    }
}
