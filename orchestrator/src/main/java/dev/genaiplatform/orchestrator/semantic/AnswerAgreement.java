package dev.genaiplatform.orchestrator.semantic;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The check after similarity: two questions close in embedding space can still want different answers. An
 * embedding barely moves between "30 days" and "60 days", "Acme" and "Globex", "can" and "can not", "this week" and
 * "last week"; the cached answer is wrong for the new question. Two kinds of evidence, both cheap:
 *
 * <ol>
 *   <li><b>Facts</b> that must agree exactly: numbers (digits and number words), names (capitalised words inside a
 *   sentence, acronyms, model-like tokens), polarity (an odd or even count of negations), and four closed classes of
 *   words that flip an answer while hardly moving an embedding: quantifiers ("all", "only", "some"), comparison and
 *   order ("more", "cheapest", "before", "first"), direction ("enable"/"disable", "import"/"export") and time
 *   ("yesterday", "weekly", "morning", weekday and month names); besides, what the question asks for beyond
 *   "what/how/which" (a reason, a time, a place, a person, a duration, an amount: "why", "when", "how long") and
 *   whether it asks about an obligation ("must", "need", "required") must agree.</li>
 *   <li><b>The shape of the difference.</b> A near-miss is usually the same question with one thing edited: most of
 *   the words, in the same order, and one content word swapped or added. A paraphrase says the same thing again in
 *   other words and another order. So when each question has a content word the other lacks (a substitution), the
 *   pair agrees only if it was rephrased as a whole (their longest common word sequence is short) and still shares
 *   most of its content words; an in-place swap is refused. A content word only added on one side is refused when
 *   everything else stayed in place (a qualifier: "mobile users"), and allowed in a rephrasing. When both questions
 *   use the same content words, they must also give them the same roles: "from X to Y" is not "from Y to X".</li>
 * </ol>
 *
 * Facts are compared by what they say, not how they are written: "fifteen" is 15, "Nginx's" and "nginx" name the
 * same thing, "maximum" and "highest" are one comparison.
 *
 * A true paraphrase that swaps one word for a synonym in place ("change" / "update") is refused: the price of a low
 * wrong-hit rate, visible in the calibration curve. The thresholds were set on the committed pair set only.
 */
public final class AnswerAgreement {

    /** Common word sequence ÷ the longer question, at or above which a pair is an edit of one question. */
    static final double EDIT_OVERLAP = 0.6;
    /** Share of the smaller question's content words a rephrasing must keep. */
    static final double KEPT_CONTENT = 0.5;

    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,:]\\d+)*");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'’.-]*");
    /**
     * Number words, each as the value its digits would give ("five" and "5" are one fact; "twice" is 2), or as
     * itself where no digit says the same ("first", "half"). "one" and "once" are left out: mostly a pronoun ("why
     * would I need one") and an adverb ("at once"); "1" in digits still counts.
     */
    private static final java.util.Map<String, String> NUMBER_WORDS = java.util.Map.ofEntries(
            java.util.Map.entry("zero", "0"), java.util.Map.entry("two", "2"), java.util.Map.entry("three", "3"),
            java.util.Map.entry("four", "4"), java.util.Map.entry("five", "5"), java.util.Map.entry("six", "6"),
            java.util.Map.entry("seven", "7"), java.util.Map.entry("eight", "8"), java.util.Map.entry("nine", "9"),
            java.util.Map.entry("ten", "10"), java.util.Map.entry("eleven", "11"), java.util.Map.entry("twelve", "12"),
            java.util.Map.entry("dozen", "12"), java.util.Map.entry("fifteen", "15"),
            java.util.Map.entry("twenty", "20"), java.util.Map.entry("thirty", "30"),
            java.util.Map.entry("forty", "40"), java.util.Map.entry("fifty", "50"),
            java.util.Map.entry("hundred", "100"), java.util.Map.entry("thousand", "1000"),
            java.util.Map.entry("million", "1000000"), java.util.Map.entry("billion", "1000000000"),
            java.util.Map.entry("twice", "2"), java.util.Map.entry("thrice", "3"), java.util.Map.entry("first", "first"),
            java.util.Map.entry("second", "second"), java.util.Map.entry("third", "third"),
            java.util.Map.entry("fourth", "fourth"), java.util.Map.entry("fifth", "fifth"),
            java.util.Map.entry("half", "half"), java.util.Map.entry("quarter", "quarter"),
            java.util.Map.entry("double", "double"), java.util.Map.entry("triple", "triple"));
    private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "none", "nobody", "nothing", "without",
            "cannot", "neither", "nor", "nowhere", "unable");
    private static final Set<String> QUANTIFIERS = Set.of("all", "every", "each", "some", "few", "fewer", "several",
            "most", "least", "only", "both", "either", "multiple", "single", "entire", "whole", "partial", "partially",
            "other", "another", "same", "different", "extra", "additional");
    private static final Set<String> COMPARISON = Set.of("more", "less", "greater", "higher", "lower", "larger",
            "smaller", "bigger", "faster", "slower", "cheaper", "better", "worse", "best", "worst", "longer",
            "shorter", "earlier", "later", "newer", "older", "newest", "oldest", "latest", "earliest", "highest",
            "lowest", "largest", "smallest", "biggest", "fastest", "slowest", "cheapest", "maximum", "minimum", "max",
            "min", "above", "below", "over", "under", "before", "after", "last", "next", "previous", "prior",
            "top", "bottom", "upper", "increase", "decrease", "raise", "reduce", "exceed",
            "since", "until", "within", "beyond", "than", "most", "least", "average", "total", "median");
    /**
     * Comparison words that say the same thing ("maximum" and "highest", "prior" and "before"), compared as one;
     * the classes never join opposites.
     */
    private static final java.util.Map<String, String> SAME_COMPARISON = java.util.Map.ofEntries(
            java.util.Map.entry("maximum", "max"), java.util.Map.entry("highest", "max"),
            java.util.Map.entry("largest", "max"), java.util.Map.entry("biggest", "max"),
            java.util.Map.entry("minimum", "min"), java.util.Map.entry("lowest", "min"),
            java.util.Map.entry("smallest", "min"), java.util.Map.entry("bigger", "greater"),
            java.util.Map.entry("larger", "greater"), java.util.Map.entry("higher", "greater"),
            java.util.Map.entry("prior", "before"), java.util.Map.entry("previous", "earlier"),
            java.util.Map.entry("raise", "increase"), java.util.Map.entry("reduce", "decrease"));
    private static final Set<String> DIRECTION = Set.of("enable", "disable", "add", "remove", "allow", "block",
            "deny", "permit", "include", "exclude", "import", "export", "upload", "download", "encrypt", "decrypt",
            "lock", "unlock", "subscribe", "unsubscribe", "install", "uninstall", "buy", "sell", "inbound", "outbound",
            "input", "output", "public", "private", "upgrade", "downgrade", "out", "off", "incoming", "outgoing",
            "internal", "external", "local", "remote", "online", "offline", "accept", "reject", "approve", "decline",
            "grant", "revoke", "pause", "resume", "archive", "restore", "encrypted", "unencrypted");
    private static final Set<String> TIME = Set.of("today", "yesterday", "tomorrow", "tonight", "morning",
            "afternoon", "evening", "night", "overnight", "weekend", "weekday", "daily", "weekly", "monthly",
            "quarterly", "yearly", "annual", "annually", "hourly", "week", "month", "year", "day", "hour", "minute",
            "ago", "past", "future", "recent", "recently", "soon", "early", "late", "noon", "midnight", "monday",
            "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
            "april", "june", "july", "august", "september", "october", "november", "december", "spring", "summer",
            "autumn", "winter", "season", "decade", "century");
    /**
     * What kind of answer the question asks for beyond "what/how/which" (those three trade places in paraphrases):
     * a reason, a time, a place, a person, a duration, an amount, a count, a frequency, a distance.
     */
    private static final Set<String> ASKS_FOR = Set.of("why", "when", "where", "who", "whom", "whose", "long",
            "much", "many", "often", "far", "frequently");
    /** A question's leading word is a conjunction when another of these asks later ("When X fails, what ..."). */
    private static final Set<String> INTERROGATIVES = Set.of("what", "how", "which", "why", "when", "where", "who",
            "whom", "whose");
    /** Obligation versus possibility: "must I" and "can I" want different answers; its words are one feature. */
    private static final Set<String> OBLIGATION = Set.of("must", "should", "need", "needs", "needed", "required",
            "require", "requires", "mandatory", "necessary", "ought", "obligatory", "compulsory");
    /** Words that carry no subject of their own: adding, dropping or swapping them does not change the question. */
    private static final Set<String> FUNCTION_WORDS = Set.of("a", "an", "the", "is", "are", "was", "were", "be",
            "been", "being", "am", "do", "does", "did", "done", "can", "could", "should", "would", "will", "might",
            "must", "shall", "i", "my", "me", "mine", "we", "our", "us", "you", "your", "it", "its", "this", "that",
            "these", "those", "of", "at", "by", "for", "with", "as", "about", "what", "how", "why", "when", "where",
            "which", "who", "whom", "whose", "there", "here", "and", "or", "if", "then", "so", "get", "got", "gets",
            "possible", "way", "ways", "explain", "tell", "describe", "please", "able", "allowed", "meaning", "mean",
            "steps", "step", "s", "time", "times", "tim", "in", "on", "long", "big", "much", "many", "find", "kind", "need", "want", "like",
            "have", "has", "had", "go", "going", "use", "using", "used", "make", "let", "lets", "know", "anyone",
            "someone", "something", "anything", "just", "also", "still", "really", "actually", "exactly", "currently", "now", "current",
            "d", "ll", "ve", "re", "m", "t", "o", "happen", "happens", "work", "works", "properly", "correctly",
            "thing", "things", "option", "options", "via", "through", "again", "is't", "whats", "hows", "wat",
            "u", "ur", "pls", "plz", "thanks", "hi", "hello", "hey", "okay", "ok", "supposed", "help", "show",
            "give", "list", "compare", "define", "summarise", "summarize", "some", "one", "very", "too");

    private AnswerAgreement() {
    }

    public static boolean agree(String cached, String incoming) {
        return sameFacts(cached, incoming) && sameQuestionShape(cached, incoming);
    }

    /** Numbers, names, polarity and the closed classes (the calibration curve shows this check alone too). */
    public static boolean sameFacts(String cached, String incoming) {
        List<String> a = phrasal(words(cached));
        List<String> b = phrasal(words(incoming));
        return numbers(cached).equals(numbers(incoming))
                && namesSurvive(cached, incoming) && namesSurvive(incoming, cached)
                && negated(a) == negated(b)
                && among(a, QUANTIFIERS).equals(among(b, QUANTIFIERS))
                && canonical(among(a, COMPARISON), SAME_COMPARISON).equals(canonical(among(b, COMPARISON), SAME_COMPARISON))
                && among(a, DIRECTION).equals(among(b, DIRECTION))
                && among(a, TIME).equals(among(b, TIME))
                && asksFor(a).equals(asksFor(b))
                && among(a, OBLIGATION).isEmpty() == among(b, OBLIGATION).isEmpty();
    }

    /** No in-place edit of a content word; a substitution only within a rephrasing that keeps most content. */
    static boolean sameQuestionShape(String cached, String incoming) {
        List<String> a = stems(phrasal(words(cached)));
        List<String> b = stems(phrasal(words(incoming)));
        Set<String> contentA = content(a);
        Set<String> contentB = content(b);
        Set<String> onlyA = new HashSet<>(contentA);
        onlyA.removeAll(contentB);
        Set<String> onlyB = new HashSet<>(contentB);
        onlyB.removeAll(contentA);
        if (onlyA.isEmpty() && onlyB.isEmpty()) {
            return sameRoles(a, b);   // the same words; "from X to Y" against "from Y to X" is another question
        }
        boolean edited = (double) commonSequence(a, b) / Math.max(a.size(), b.size()) >= EDIT_OVERLAP;
        if (edited) {
            return false;   // the same question with a content word swapped, added or dropped in place
        }
        int kept = contentA.size() - onlyA.size();
        return kept >= Math.max(1, Math.ceil(KEPT_CONTENT * Math.min(contentA.size(), contentB.size())));
    }

    /** Words after which the next content word is an argument whose place matters: "from X", "to Y", "into Z". */
    private static final Set<String> ROLE_BEFORE = Set.of("from", "to", "into", "onto", "toward", "towards");
    /** Words between two arguments that may not trade places: "X rather than Y", "X instead of Y", "X vs Y". */
    private static final Set<String> ROLE_BETWEEN = Set.of("than", "rather", "instead", "vs", "versus", "over");

    /**
     * For each role word both questions use equally often, the content words next to its k-th use are the same:
     * questions with the same words can still swap source and target ("convert a string to a datetime" / "a
     * datetime to a string") or the two sides of a preference ("scale up rather than out" / "out rather than up").
     */
    static boolean sameRoles(List<String> a, List<String> b) {
        for (String role : ROLE_BEFORE) {
            if (!neighbours(a, role, false).equals(neighbours(b, role, false))
                    && count(a, role) == count(b, role)) {
                return false;
            }
        }
        for (String role : ROLE_BETWEEN) {
            if (!neighbours(a, role, true).equals(neighbours(b, role, true)) && count(a, role) == count(b, role)) {
                return false;
            }
        }
        return true;
    }

    private static long count(List<String> words, String role) {
        return words.stream().filter(role::equals).count();
    }

    /** The next content word after each use of a role word, and with {@code before} also the one before it. */
    private static List<String> neighbours(List<String> words, String role, boolean before) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            if (!words.get(i).equals(role)) {
                continue;
            }
            if (before) {
                found.add(nearestContent(words, i, -1));
            }
            found.add(nearestContent(words, i, 1));
        }
        return found;
    }

    private static String nearestContent(List<String> words, int from, int step) {
        for (int i = from + step; i >= 0 && i < words.size(); i += step) {
            String word = words.get(i);
            if (!FUNCTION_WORDS.contains(word) && !NEGATIONS.contains(word) && !ROLE_BEFORE.contains(word)
                    && !ROLE_BETWEEN.contains(word)) {
                return word;
            }
        }
        return "";
    }

    /** Content words of a question (stemmed): kept for the substitution rule's unit test and the README. */
    static Set<String> contentWords(String text) {
        return content(stems(phrasal(words(text))));
    }

    private static Set<String> content(List<String> stems) {
        Set<String> content = new HashSet<>();
        for (String word : stems) {
            // numbers, in digits or words, are facts compared above, not content words of the question's shape
            if (!FUNCTION_WORDS.contains(word) && !NEGATIONS.contains(word) && !NUMBER.matcher(word).matches()
                    && !NUMBER_WORDS.containsKey(word)) {
                content.add(SAME_COMPARISON.getOrDefault(word, word));   // "maximum" and "highest" are one word here too
            }
        }
        return content;
    }

    /** Lower-case words with contractions expanded ("don't" → "do not", "what's" → "what is"). */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(text.replace('’', '\''));
        while (matcher.find()) {
            String word = matcher.group().toLowerCase(Locale.ROOT);
            while (word.endsWith(".") || word.endsWith("-") || word.endsWith("'")) {
                word = word.substring(0, word.length() - 1);
            }
            if (word.isEmpty()) {
                continue;
            }
            if (word.equals("can't") || word.equals("cannot")) {
                words.add("can");
                words.add("not");
            }
            else if (word.equals("won't")) {
                words.add("will");
                words.add("not");
            }
            else if (word.endsWith("n't")) {
                words.add(word.substring(0, word.length() - 3));
                words.add("not");
            }
            else if (word.endsWith("'s") || word.endsWith("'re") || word.endsWith("'ve") || word.endsWith("'ll")
                    || word.endsWith("'d") || word.endsWith("'m")) {
                words.add(word.substring(0, word.indexOf('\'')));
            }
            else {
                words.add(word);
            }
        }
        return words;
    }

    /** Phrasal verbs of the direction class, as their one-word form ("turn on" → "enable"). */
    private static List<String> phrasal(List<String> words) {
        List<String> out = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String next = i + 1 < words.size() ? words.get(i + 1) : "";
            boolean toggle = word.equals("turn") || word.equals("switch") || word.equals("turning")
                    || word.equals("switching");
            if (toggle && (next.equals("on") || next.equals("off"))) {
                out.add(next.equals("on") ? "enable" : "disable");
                i++;
            }
            else if (word.equals("activate")) {
                out.add("enable");
            }
            else if (word.equals("deactivate")) {
                out.add("disable");
            }
            else {
                out.add(word);
            }
        }
        return out;
    }

    private static List<String> stems(List<String> words) {
        return words.stream().map(AnswerAgreement::stem).toList();
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

    private static Set<String> canonical(Set<String> words, java.util.Map<String, String> same) {
        Set<String> out = new HashSet<>();
        for (String word : words) {
            out.add(same.getOrDefault(word, word));
        }
        return out;
    }

    private static Set<String> among(List<String> words, Set<String> cls) {
        Set<String> found = new HashSet<>();
        for (String word : words) {
            String singular = word.endsWith("s") && word.length() > 3 ? word.substring(0, word.length() - 1) : word;
            if (cls.contains(word)) {
                found.add(word);
            }
            else if (cls.contains(singular)) {
                found.add(singular);
            }
        }
        return found;
    }

    /**
     * The interrogatives of {@link #ASKS_FOR} where they ask: the question's first word ("why", "when") unless another
     * interrogative follows, after "how" ("how long"), or "what time"; not "when" in "what happens when ...".
     */
    private static Set<String> asksFor(List<String> words) {
        Set<String> found = new HashSet<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String previous = i == 0 ? "" : words.get(i - 1);
            boolean leadsTheQuestion = i == 0 && words.stream().skip(1).noneMatch(INTERROGATIVES::contains);
            if (ASKS_FOR.contains(word) && (leadsTheQuestion || previous.equals("how"))) {
                found.add(word);
            }
            else if (word.equals("time") && previous.equals("what")) {
                found.add("when");
            }
        }
        return found;
    }

    private static int commonSequence(List<String> a, List<String> b) {
        int[][] length = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                length[i][j] = a.get(i).equals(b.get(j)) ? 1 + length[i + 1][j + 1]
                        : Math.max(length[i + 1][j], length[i][j + 1]);
            }
        }
        return length[0][0];
    }

    static Set<String> numbers(String text) {
        Set<String> numbers = new HashSet<>();
        Matcher digits = NUMBER.matcher(text);
        while (digits.find()) {
            numbers.add(digits.group().replace(",", ""));
        }
        for (String word : words(text)) {
            String value = NUMBER_WORDS.get(word);
            if (value != null) {
                numbers.add(value);
            }
        }
        return numbers;
    }

    /**
     * Capitalised words other than a sentence's first, all-caps acronyms, and model-like tokens (letters with a
     * hyphen or a digit: sim-large, gpt4). The first word of a sentence is capitalised by grammar, not because it is
     * a name; a name there is still a content word, so the shape rule sees it.
     */
    static Set<String> names(String text) {
        Set<String> names = new HashSet<>();
        Matcher words = WORD.matcher(text);
        boolean sentenceStart = true;
        int end = 0;
        while (words.find()) {
            String between = text.substring(end, words.start());
            if (between.contains(".") || between.contains("?") || between.contains("!") || between.contains(":")) {
                sentenceStart = true;
            }
            end = words.end();
            String word = words.group();
            while (word.endsWith(".") || word.endsWith("-") || word.endsWith("'") || word.endsWith("’")) {
                word = word.substring(0, word.length() - 1);
            }
            if (word.isEmpty()) {
                continue;
            }
            String lower = word.toLowerCase(Locale.ROOT);
            boolean acronym = word.length() > 1 && word.chars().filter(Character::isLetter).count() > 1
                    && word.equals(word.toUpperCase(Locale.ROOT)) && !lower.equals("i");
            // letters with a digit (gpt4, S9) are names; a lower-case hyphenated word ("auto-updates") is a compound,
            // left to the shape rule like any content word
            boolean modelLike = word.chars().anyMatch(Character::isLetter)
                    && (word.chars().anyMatch(Character::isDigit)
                    || word.contains("-") && word.chars().anyMatch(Character::isUpperCase) && !sentenceStart);
            boolean capitalised = Character.isUpperCase(word.charAt(0)) && !sentenceStart;
            if ((capitalised || acronym || modelLike) && !lower.equals("i") && !lower.startsWith("i'")) {
                names.add(lower.replace('’', '\''));
            }
            sentenceStart = false;
        }
        return names;
    }

    /**
     * Every name of one question occurs in the other as a word, in any case ("Git" / "git"), possessive ("Nginx's")
     * or hyphenation ("Docker Compose" / "docker-compose"); a name the other question lacks is another subject.
     */
    static boolean namesSurvive(String from, String in) {
        Set<String> words = new HashSet<>();
        for (String word : words(in)) {
            words.add(word);
            words.addAll(List.of(word.split("-")));
        }
        for (String name : names(from)) {
            String bare = name.endsWith("'s") ? name.substring(0, name.length() - 2) : name;
            if (!words.contains(bare) && !words.containsAll(List.of(bare.split("-")))) {
                return false;
            }
        }
        return true;
    }

    static boolean negated(String text) {
        return negated(words(text));
    }

    private static boolean negated(List<String> words) {
        int count = 0;
        for (String word : words) {
            if (NEGATIONS.contains(word)) {
                count++;
            }
        }
        return count % 2 == 1;
    }
}
