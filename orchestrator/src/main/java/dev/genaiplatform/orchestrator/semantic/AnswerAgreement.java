package dev.genaiplatform.orchestrator.semantic;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The check after similarity: two questions close in embedding space can still want different answers. An
 * embedding barely moves between "30 days" and "60 days", "Acme" and "Globex", "can" and "can not"; the cached
 * answer is wrong for the new question. So the numbers, the names and the polarity of the two questions must
 * agree exactly. A swapped ordinary word ("add" / "remove", "monthly" / "annual") is caught by a cruder rule:
 * when each question has a content word the other lacks, one word was substituted for another, and a substitution
 * changes the question more often than it rephrases it. That rule also refuses true paraphrases built on synonyms
 * ("change" / "update"): the price of a low wrong-hit rate, visible in the calibration curve.
 */
public final class AnswerAgreement {

    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)*");
    private static final Pattern WORD = Pattern.compile("[\\p{L}][\\p{L}\\p{N}'’-]*");
    private static final Set<String> NUMBER_WORDS = Set.of("zero", "one", "two", "three", "four", "five", "six",
            "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty", "thirty", "hundred", "thousand", "million",
            "once", "twice", "first", "second", "third", "half", "double");
    private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "none", "nobody", "nothing", "without",
            "cannot", "neither", "nor");
    /** Words that open a question with a capital letter without being a name. */
    private static final Set<String> OPENERS = Set.of("what", "how", "why", "when", "where", "which", "who", "whom",
            "is", "are", "was", "were", "can", "could", "does", "do", "did", "should", "would", "will", "explain",
            "tell", "describe", "please", "show", "give", "list", "the", "a", "an", "i", "in", "on", "for", "at", "to",
            "if", "my", "our", "there", "it", "this", "that", "compare", "define", "summarise", "summarize");

    private AnswerAgreement() {
    }

    public static boolean agree(String cached, String incoming) {
        return sameFacts(cached, incoming) && !substituted(cached, incoming);
    }

    /** Numbers, names and polarity only (the curve shows this check alone too). */
    public static boolean sameFacts(String cached, String incoming) {
        return numbers(cached).equals(numbers(incoming))
                && names(cached).equals(names(incoming))
                && negated(cached) == negated(incoming);
    }

    /** Each side has a content word the other lacks. */
    static boolean substituted(String cached, String incoming) {
        Set<String> a = contentWords(cached);
        Set<String> b = contentWords(incoming);
        return !b.containsAll(a) && !a.containsAll(b);
    }

    private static final Set<String> FUNCTION_WORDS = Set.of("a", "an", "the", "is", "are", "was", "were", "be", "been",
            "do", "does", "did", "can", "could", "should", "would", "will", "may", "might", "must", "shall", "i", "my",
            "me", "we", "our", "you", "your", "it", "its", "this", "that", "these", "those", "of", "to", "in", "on",
            "at", "by", "for", "from", "with", "as", "into", "about", "what", "how", "why", "when", "where", "which",
            "who", "whom", "whose", "there", "here", "and", "or", "if", "then", "than", "so", "get", "got", "possible",
            "way", "explain", "tell", "describe", "please", "able", "allowed", "meaning", "mean", "steps", "step",
            "s", "what's", "time", "long", "big", "much", "many", "find", "kind");

    static Set<String> contentWords(String text) {
        Set<String> words = new HashSet<>();
        Matcher matcher = WORD.matcher(text);
        while (matcher.find()) {
            String word = matcher.group().toLowerCase(Locale.ROOT).replace('’', '\'');
            if (!FUNCTION_WORDS.contains(word) && !NEGATIONS.contains(word) && !word.endsWith("n't")) {
                words.add(stem(word));
            }
        }
        return words;
    }

    /** Crude suffix stripping: enough for "ranked" / "rank", "passages" / "passage". */
    private static String stem(String word) {
        for (String suffix : new String[] {"ing", "ed", "es", "s", "ly"}) {
            if (word.length() > suffix.length() + 3 && word.endsWith(suffix)) {
                return word.substring(0, word.length() - suffix.length());
            }
        }
        return word;
    }

    static Set<String> numbers(String text) {
        Set<String> numbers = new HashSet<>();
        Matcher digits = NUMBER.matcher(text);
        while (digits.find()) {
            numbers.add(digits.group().replace(",", ""));
        }
        Matcher words = WORD.matcher(text);
        while (words.find()) {
            String word = words.group().toLowerCase(Locale.ROOT);
            if (NUMBER_WORDS.contains(word)) {
                numbers.add(word);
            }
        }
        return numbers;
    }

    /** Capitalised words that are not question openers, all-caps acronyms, and words with digits (sim-large). */
    static Set<String> names(String text) {
        Set<String> names = new HashSet<>();
        Matcher words = WORD.matcher(text);
        while (words.find()) {
            String word = words.group();
            boolean capitalised = Character.isUpperCase(word.charAt(0));
            boolean acronym = word.length() > 1 && word.equals(word.toUpperCase(Locale.ROOT));
            boolean modelLike = word.contains("-") && word.chars().anyMatch(Character::isLetter);
            if ((capitalised || acronym || modelLike) && !OPENERS.contains(word.toLowerCase(Locale.ROOT))) {
                names.add(word.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    static boolean negated(String text) {
        int count = 0;
        Matcher words = WORD.matcher(text);
        while (words.find()) {
            String word = words.group().toLowerCase(Locale.ROOT).replace('’', '\'');
            if (NEGATIONS.contains(word) || word.endsWith("n't")) {
                count++;
            }
        }
        return count % 2 == 1;
    }
}
