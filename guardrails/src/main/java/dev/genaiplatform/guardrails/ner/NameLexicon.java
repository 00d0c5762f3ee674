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
 * With context rules on (the shipped setting; off reproduces the previous wave for measurement):
 * <ul>
 *   <li>a known first name followed by any capitalised word that is not a place, street or organisation word
 *       ("Gregory Kudryashov": surnames are far more varied than any list);</li>
 *   <li>a lone known first name at the start of a sentence or line when what follows reads like a person: a
 *       speaker's colon, a possessive, a comma, or a lower-case word ("Scott is…", "Mary: hello"), unless the
 *       name is also a common English word ("May I…", "Will you…", "Grant access…").</li>
 * </ul>
 * What it does NOT catch: names absent from the lists, lower-case names, a lone surname. What it gets wrong:
 * first names that are also places or words in context ("Paris", "Hope"), a first name before a capitalised
 * word that is not a surname ("Jordan Peak" when the peak is not listed as a place word).
 */
final class NameLexicon {

    private static final Set<String> TITLES = Set.of("mr.", "mrs.", "ms.", "dr.", "prof.", "mr", "mrs", "ms", "dr");
    private static final Set<String> NOT_NAMES = Set.of("january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
            "friday", "saturday", "sunday", "summer", "winter", "spring", "autumn", "christmas", "easter", "god", "lord");
    private static final Set<String> PLACE_WORDS = Set.of("in", "to", "from", "at", "near", "into", "via", "of");
    /** Capitalised words after a first name that make it a place or an organisation, not a person. */
    static final Set<String> NOT_SURNAMES = Set.of("street", "st", "st.", "road", "rd", "rd.", "avenue", "ave",
            "ave.", "lane", "drive", "way", "court", "place", "square", "park", "parks", "pass", "boulevard", "blvd",
            "station", "river", "lake", "mount", "hill", "bay", "beach", "bridge", "island", "valley", "union",
            "university", "college", "school", "hospital", "church", "hall", "centre", "center", "orchestra", "band",
            "inc", "inc.", "ltd", "ltd.", "llc", "corp", "company", "group", "bank", "technologies", "partners",
            "associates", "markets", "investments", "foundation", "institute", "city", "county", "state", "village",
            "town", "airport", "hotel", "restaurant", "museum", "stadium", "apt", "apt.", "suite", "box", "tv");
    /** First names that are also common English words: at a sentence start they are more likely the word. */
    private static final Set<String> WORD_NAMES = Set.of("will", "may", "june", "mark", "bill", "grant", "hope",
            "faith", "joy", "rose", "art", "chase", "drew", "pat", "sue", "jack", "bob", "frank", "rich", "sky",
            "dawn", "iris", "ivy", "lily", "amber", "ruby", "crystal", "bud", "cliff", "dean", "don", "earl", "guy",
            "hunter", "jay", "king", "lane", "ray", "rod", "sandy", "skip", "sunny", "star", "summer", "autumn",
            "winter", "april", "august", "destiny", "harmony", "honey", "justice", "liberty", "major", "miles",
            "page", "penny", "river", "rocky", "royal", "sterling", "storm", "taylor", "victoria", "wade", "walker",
            "young", "love", "precious", "trinity", "angel", "hero", "china", "india", "paris", "london", "georgia",
            "virginia", "carolina", "florence", "sydney", "austin", "dallas", "houston", "jordan", "kent", "lincoln",
            "madison", "phoenix", "savannah", "aurora", "brook", "brooke", "carol", "charity", "constance", "ernest",
            "felicity", "gene", "glen", "heath", "holly", "iva", "lee", "marina", "max", "nick", "norm", "olive",
            "patience", "pearl", "reed", "robin", "russell", "sage", "sherry", "tad", "tony", "white", "wood");

    private final Set<String> firstNames;
    private final Set<String> lastNames;

    private NameLexicon(Set<String> firstNames, Set<String> lastNames) {
        this.firstNames = firstNames;
        this.lastNames = lastNames;
    }

    static NameLexicon load() {
        return new NameLexicon(read("/ner/first-names.txt"), read("/ner/last-names.txt"));
    }

    /** Whether {@code word} is capitalised and a known first name. */
    boolean isFirstName(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        return capitalised(word) && firstNames.contains(lower) && !NOT_NAMES.contains(lower);
    }

    /** Whether {@code word} is a first name that is also a common English word ("Grant", "May", "Victoria"). */
    static boolean isWordName(String word) {
        return WORD_NAMES.contains(word.toLowerCase(Locale.ROOT));
    }

    /** Whether {@code word}, in any case, is on the first- or last-name list (and not a month, weekday...). */
    boolean isKnownName(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        return (firstNames.contains(lower) || lastNames.contains(lower)) && !NOT_NAMES.contains(lower)
                && !NameFinderDetector.commonWords().contains(lower);
    }

    /**
     * Token ranges {@code [first, last]} of {@code tokens} (of {@code text}) that name a person.
     *
     * @param contextRules the rules of this wave (see the class comment); false for the previous behaviour
     */
    List<int[]> find(String text, List<TextTokens.Token> tokens, boolean contextRules) {
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
            if (contextRules && end + 1 < tokens.size() && capitalised(tokens.get(end + 1).text())
                    && plausibleSurname(tokens.get(end + 1).text())) {
                names.add(new int[] {i, end + 1});
                i = end + 1;
                continue;
            }
            boolean startsSentence = i == 0 || tokens.get(i - 1).text().matches("[.!?:;\"“(>]")
                    || text.substring(tokens.get(i - 1).end(), tokens.get(i).start()).indexOf('\n') >= 0;
            boolean followedByCapital = i + 1 < tokens.size() && capitalised(tokens.get(i + 1).text());
            boolean afterPlaceWord = i > 0 && PLACE_WORDS.contains(tokens.get(i - 1).text().toLowerCase(Locale.ROOT));
            if (!startsSentence && !followedByCapital && !afterPlaceWord) {
                names.add(new int[] {i, i});
            } else if (contextRules && startsSentence && !followedByCapital && !WORD_NAMES.contains(lower)
                    && readsLikeAPerson(tokens, i)) {
                names.add(new int[] {i, i});
            }
        }
        return names;
    }

    /** A capitalised word that can be a surname: not a place, street or organisation word, not a common word. */
    private static boolean plausibleSurname(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        return !NOT_SURNAMES.contains(lower) && !NameFinderDetector.commonWords().contains(lower)
                && !NOT_NAMES.contains(lower) && word.codePoints().noneMatch(Character::isDigit);
    }

    /** After a name at a sentence start: a speaker's colon, a possessive, a comma, or a lower-case word. */
    private static boolean readsLikeAPerson(List<TextTokens.Token> tokens, int i) {
        if (i + 1 >= tokens.size()) {
            return false;
        }
        String next = tokens.get(i + 1).text();
        return next.equals(":") || next.equals(",") || next.equals("'") || next.equals("’")
                || Character.isLowerCase(next.codePointAt(0));
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
