package dev.genaiplatform.guardrails.ner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A second opinion for names the statistical model misses, from first- and last-name lists generated from
 * Datafaker's data ({@code ner/first-names.txt}, {@code ner/last-names.txt}):
 * <ul>
 *   <li>a capitalised known first name followed by a capitalised known last name (optionally with an initial);</li>
 *   <li>a title ({@code Mr.}, {@code Mrs.}, {@code Dr.}...) followed by capitalised words;</li>
 *   <li>a capitalised known first name alone, when it does not start a sentence or line, is not followed by another
 *       capitalised word, and does not follow a word that introduces a place ({@code in}, {@code to}...).</li>
 * </ul>
 * What it does NOT catch: names absent from the lists, lower-case names, a lone name at the start of a sentence
 * or line. What it gets wrong: first names that are also places or words in context ("Paris", "Hope").
 */
final class NameLexicon {

    private static final Set<String> TITLES = Set.of("mr.", "mrs.", "ms.", "dr.", "prof.", "mr", "mrs", "ms", "dr");
    private static final Set<String> NOT_NAMES = Set.of("january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
            "friday", "saturday", "sunday", "summer", "winter", "spring", "autumn", "christmas", "easter", "god", "lord");
    private static final Set<String> PLACE_WORDS = Set.of("in", "to", "from", "at", "near", "into", "via", "of");

    private final Set<String> firstNames;
    private final Set<String> lastNames;

    private NameLexicon(Set<String> firstNames, Set<String> lastNames) {
        this.firstNames = firstNames;
        this.lastNames = lastNames;
    }

    static NameLexicon load() {
        return new NameLexicon(read("/ner/first-names.txt"), read("/ner/last-names.txt"));
    }

    /** Token ranges {@code [first, last]} of {@code tokens} (of {@code text}) that name a person. */
    List<int[]> find(String text, List<TextTokens.Token> tokens) {
        List<int[]> names = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String word = tokens.get(i).text();
            String lower = word.toLowerCase(Locale.ROOT);
            if (TITLES.contains(lower) && i + 1 < tokens.size() && capitalised(tokens.get(i + 1).text())) {
                int end = i + 1;
                while (end + 1 < tokens.size() && capitalised(tokens.get(end + 1).text())) {
                    end++;
                }
                names.add(new int[] {i + 1, end});
                i = end;
                continue;
            }
            if (!capitalised(word) || !firstNames.contains(lower) || NOT_NAMES.contains(lower)) {
                continue;
            }
            int end = i;
            if (end + 1 < tokens.size() && initial(tokens.get(end + 1).text())) {
                end++;
            }
            if (end + 1 < tokens.size() && capitalised(tokens.get(end + 1).text())
                    && lastNames.contains(tokens.get(end + 1).text().toLowerCase(Locale.ROOT))) {
                names.add(new int[] {i, end + 1});
                i = end + 1;
                continue;
            }
            boolean startsSentence = i == 0 || tokens.get(i - 1).text().matches("[.!?:;\"“(]")
                    || text.substring(tokens.get(i - 1).end(), tokens.get(i).start()).indexOf('\n') >= 0;
            boolean followedByCapital = i + 1 < tokens.size() && capitalised(tokens.get(i + 1).text());
            boolean afterPlaceWord = i > 0 && PLACE_WORDS.contains(tokens.get(i - 1).text().toLowerCase(Locale.ROOT));
            if (!startsSentence && !followedByCapital && !afterPlaceWord) {
                names.add(new int[] {i, i});
            }
        }
        return names;
    }

    private static boolean capitalised(String word) {
        return word.length() >= 2 && Character.isUpperCase(word.codePointAt(0))
                && word.codePoints().skip(1).anyMatch(Character::isLowerCase);
    }

    private static boolean initial(String word) {
        return word.length() <= 2 && Character.isUpperCase(word.codePointAt(0));
    }

    private static Set<String> read(String resource) {
        try (InputStream in = NameLexicon.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().collect(Collectors.toUnmodifiableSet());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
