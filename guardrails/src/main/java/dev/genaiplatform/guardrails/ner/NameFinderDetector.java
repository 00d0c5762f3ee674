package dev.genaiplatform.guardrails.ner;

import dev.genaiplatform.guardrails.detection.CheckedText;
import dev.genaiplatform.guardrails.detection.Detection;
import dev.genaiplatform.guardrails.detection.InputDetector;
import dev.genaiplatform.guardrails.detection.TextDigest;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import opennlp.tools.namefind.NameFinderME;
import opennlp.tools.namefind.TokenNameFinderModel;
import opennlp.tools.util.Span;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Names of people ({@code PERSON}), places ({@code LOCATION}: cities, regions, countries) and postal addresses
 * ({@code STREET_ADDRESS}) found by an OpenNLP name finder (maximum entropy) trained in this repository on
 * generated sentences: no NER model for Java ships in a package registry. The model, its generator and the
 * command that rebuilds it are described in the module README. Where the model finds nothing, a name lexicon
 * ({@link NameLexicon}) adds people it recognises by their first and last names.
 *
 * <p>Text is cut into chunks of at most {@value #MAX_TOKENS} tokens (the finder's cost grows with the sequence;
 * a chunk boundary can split a name, so chunks overlap by a few tokens).
 *
 * <p>What it does NOT catch, measured and written down in the README: names that look like common words,
 * single surnames without context, organisations (not trained), names in scripts the generator did not cover,
 * addresses in formats the templates do not show. It also finds some false names in capitalised phrases.
 */
public final class NameFinderDetector implements InputDetector {

    public static final String NAME = "ner";
    public static final String MODEL_RESOURCE = "/ner/pii-names.bin";
    static final int MAX_TOKENS = 200;
    private static final int OVERLAP = 20;

    /**
     * A finder is not thread-safe and costly to build (it parses its feature descriptor), so finders are pooled;
     * not thread-locals, because request threads are virtual and short-lived.
     */
    private final Queue<NameFinderME> finders = new ConcurrentLinkedQueue<>();
    private final TokenNameFinderModel model;
    private final NameLexicon lexicon = NameLexicon.load();
    private final boolean contextRules;
    private final SpanChecks spanChecks;
    /**
     * Spans of texts seen lately, by the SHA-256 of the text's UTF-16 code units (the text itself, personal data
     * by definition here, is not kept); null = every text is read by the model.
     */
    private final Cache<String, List<EntitySpan>> remembered;

    public NameFinderDetector() {
        this(load(), true, true);
    }

    private NameFinderDetector(TokenNameFinderModel model, int rememberedTexts) {
        this.model = model;
        this.contextRules = true;
        this.spanChecks = new SpanChecks(lexicon);
        this.remembered = Caffeine.newBuilder().maximumSize(rememberedTexts).build();
    }

    /**
     * The shipped model and rules, remembering the spans of the last {@code rememberedTexts} texts it read. The
     * same text always gets the same spans (the model's adaptive data is cleared before each chunk, the rules read
     * only the text), so a remembered answer is exactly what reading it again would give; what repeats is every
     * earlier message of a conversation (each turn sends the whole history) and a client's system prompt.
     */
    public static NameFinderDetector remembering(int rememberedTexts) {
        return new NameFinderDetector(load(), rememberedTexts);
    }

    /**
     * @param contextRules the second wave's name rules ({@link NameLexicon}, and address spans that hold names, see
     *                     {@link #withoutNamesInAddresses}); false reproduces the first wave
     * @param spanChecks   the third wave's checks on what the model returns ({@link SpanChecks}); false reproduces
     *                     the second wave. Both exist to measure the waves side by side ({@code PiiEvaluation}).
     */
    public NameFinderDetector(TokenNameFinderModel model, boolean contextRules, boolean spanChecks) {
        this.model = model;
        this.contextRules = contextRules;
        this.spanChecks = spanChecks ? new SpanChecks(lexicon) : null;
        this.remembered = null;
    }

    public NameFinderDetector(TokenNameFinderModel model) {
        this(model, true, true);
    }

    /** The shipped model file. */
    public static TokenNameFinderModel load() {
        try (InputStream in = NameFinderDetector.class.getResourceAsStream(MODEL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the name finder model " + MODEL_RESOURCE + " is not on the classpath");
            }
            return new TokenNameFinderModel(in);
        }
        catch (IOException e) {
            throw new UncheckedIOException("could not read the name finder model", e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Detection> detect(List<CheckedText> texts) {
        List<Detection> detections = new ArrayList<>();
        for (int index = 0; index < texts.size(); index++) {
            for (EntitySpan span : find(texts.get(index).text())) {
                detections.add(new Detection.Span(NAME, span.category(), index, span.start(), span.end()));
            }
        }
        return detections;
    }

    /** An entity with its offsets in the text. */
    public record EntitySpan(String category, int start, int end) {
    }

    /** Every entity in {@code text}, in order, non-overlapping. */
    public List<EntitySpan> find(String text) {
        return remembered == null ? read(text) : remembered.get(TextDigest.sha256(text), hash -> read(text));
    }

    private List<EntitySpan> read(String text) {
        List<TextTokens.Token> tokens = TextTokens.of(text);
        NameFinderME finder = finders.poll();
        if (finder == null) {
            finder = new NameFinderME(model);
        }
        List<EntitySpan> spans;
        try {
            spans = find(tokens, finder);
        }
        finally {
            finders.offer(finder);
        }
        List<EntitySpan> found = withLexiconNames(text, tokens, contextRules ? withoutNamesInAddresses(text, tokens, spans) : spans);
        return List.copyOf(spanChecks == null ? found : spanChecks.apply(text, found));
    }

    /** Words of a street address in the languages the generator covers; compounds end in some of them. */
    private static final Set<String> STREET_WORDS = Set.of("street", "st", "st.", "road", "rd", "rd.", "avenue", "ave",
            "ave.", "lane", "drive", "way", "court", "place", "square", "boulevard", "blvd", "apt", "apt.", "suite",
            "box", "po", "u", "ul", "str", "strasse", "straße", "gasse", "weg", "rue", "via", "calle", "avenida", "rua",
            "plein", "straat", "vej", "gade", "utca", "ulica", "katu", "gatan", "vägen", "veien", "highway", "hwy");
    private static final List<String> STREET_SUFFIXES = List.of("straße", "strasse", "gasse", "weg", "vej", "gade",
            "gatan", "straat", "katu", "vägen", "veien", "utca");

    private static boolean streetWord(String token) {
        String lower = token.toLowerCase(Locale.ROOT);
        return STREET_WORDS.contains(lower) || STREET_SUFFIXES.stream().anyMatch(lower::endsWith);
    }

    /**
     * The model sometimes takes a list of first names, or a name on the line above an address, for a street
     * address. A {@code STREET_ADDRESS} span with a known first name and no street word is dropped (the lexicon
     * then finds the names); one whose first line is a known first name and capitalised words without digits is
     * split into that name ({@code PERSON}) and the address below it.
     */
    private List<EntitySpan> withoutNamesInAddresses(String text, List<TextTokens.Token> tokens, List<EntitySpan> spans) {
        List<EntitySpan> kept = new ArrayList<>();
        for (EntitySpan span : spans) {
            if (!span.category().equals("STREET_ADDRESS")) {
                kept.add(span);
                continue;
            }
            String inside = text.substring(span.start(), span.end());
            List<TextTokens.Token> spanTokens = tokens.stream()
                    .filter(token -> token.start() >= span.start() && token.end() <= span.end()).toList();
            boolean hasFirstName = spanTokens.stream().anyMatch(token -> lexicon.isFirstName(token.text()));
            if (hasFirstName && spanTokens.stream().noneMatch(token -> streetWord(token.text()))) {
                continue;
            }
            int newline = inside.indexOf('\n');
            if (newline > 0 && !spanTokens.isEmpty() && lexicon.isFirstName(spanTokens.getFirst().text())
                    && inside.substring(0, newline).codePoints().noneMatch(Character::isDigit)) {
                int nameEnd = span.start() + inside.substring(0, newline).stripTrailing().length();
                int addressStart = span.start() + newline;
                while (addressStart < span.end() && Character.isWhitespace(text.charAt(addressStart))) {
                    addressStart++;
                }
                kept.add(new EntitySpan("PERSON", span.start(), nameEnd));
                if (addressStart < span.end()) {
                    kept.add(new EntitySpan("STREET_ADDRESS", addressStart, span.end()));
                }
                continue;
            }
            kept.add(span);
        }
        return kept;
    }

    /** Adds the lexicon's names where the model found nothing; in text order. */
    private List<EntitySpan> withLexiconNames(String text, List<TextTokens.Token> tokens, List<EntitySpan> spans) {
        List<EntitySpan> all = new ArrayList<>(spans);
        for (int[] name : lexicon.find(text, tokens, contextRules)) {
            int start = tokens.get(name[0]).start();
            int end = tokens.get(name[1]).end();
            if (spans.stream().noneMatch(span -> span.start() < end && start < span.end())) {
                all.add(new EntitySpan("PERSON", start, end));
            }
        }
        all.sort(java.util.Comparator.comparingInt(EntitySpan::start));
        return contextRules ? joinedNames(text, all) : all;
    }

    /** Two names separated only by spaces on one line are one name ("Hannah" "Kowalczyk" → "Hannah Kowalczyk"). */
    private static List<EntitySpan> joinedNames(String text, List<EntitySpan> sorted) {
        List<EntitySpan> joined = new ArrayList<>();
        for (EntitySpan span : sorted) {
            EntitySpan last = joined.isEmpty() ? null : joined.getLast();
            if (last != null && last.category().equals("PERSON") && span.category().equals("PERSON")
                    && last.end() <= span.start() && text.substring(last.end(), span.start()).matches(" {1,2}")) {
                joined.set(joined.size() - 1, new EntitySpan("PERSON", last.start(), span.end()));
            } else {
                joined.add(span);
            }
        }
        return joined;
    }

    private static final Set<String> TITLES = Set.of("dr.", "dr", "mr.", "mr", "mrs.", "mrs", "ms.", "ms", "prof.",
            "prof", "sir", "madam", "miss");
    /**
     * Lower-case words the model sometimes takes for names (it saw lower-cased names in training): a span made
     * only of such words, or with no letter at all, is dropped.
     */
    private static final Set<String> COMMON_WORDS = Set.of("a", "an", "the", "i", "you", "he", "she", "it", "it's",
            "we", "they", "me", "him", "her", "us", "them", "my", "your", "his", "our", "their", "this", "that", "these",
            "those", "then", "than", "there", "here", "about", "into", "onto", "with", "without", "from", "for", "to",
            "of", "in", "on", "at", "by", "and", "or", "but", "not", "no", "yes", "is", "are", "was", "were", "be",
            "been", "do", "does", "did", "can", "could", "would", "should", "will", "shall", "may", "might", "must",
            "have", "has", "had", "lost", "block", "please", "thanks", "thank", "hello", "hi", "dear", "user", "name",
            "website", "email", "e-mail", "phone", "zip", "address", "city", "country", "street", "what", "when",
            "where", "who", "why", "how", "which", "if", "so", "as", "up", "out", "over", "under", "again", "just",
            "now", "today", "tomorrow", "yesterday", "card", "account", "number", "help", "request", "ok", "okay");

    /** The lower-case words never taken for names (also removed from the name lexicon). */
    public static Set<String> commonWords() {
        return COMMON_WORDS;
    }

    private static boolean implausible(List<TextTokens.Token> span) {
        boolean anyLetter = false;
        boolean allCommon = true;
        for (TextTokens.Token token : span) {
            anyLetter |= token.text().codePoints().anyMatch(Character::isLetter);
            allCommon &= COMMON_WORDS.contains(token.text().toLowerCase(Locale.ROOT)) || token.text().length() == 1;
        }
        return !anyLetter || allCommon;
    }

    private static List<EntitySpan> find(List<TextTokens.Token> tokens, NameFinderME finder) {
        List<EntitySpan> spans = new ArrayList<>();
        int coveredUpTo = 0;
        for (int from = 0; from < tokens.size(); from += MAX_TOKENS - OVERLAP) {
            int to = Math.min(tokens.size(), from + MAX_TOKENS);
            String[] words = new String[to - from];
            for (int i = from; i < to; i++) {
                words[i - from] = tokens.get(i).text();
            }
            finder.clearAdaptiveData();
            for (Span found : finder.find(words)) {
                int first = from + found.getStart();
                int last = from + found.getEnd() - 1;
                while (first <= last && TITLES.contains(tokens.get(first).text().toLowerCase(Locale.ROOT))) {
                    first++; // "Dr. Jane Roe": the name is "Jane Roe"
                }
                if (first > last || implausible(tokens.subList(first, last + 1))) {
                    continue;
                }
                int start = tokens.get(first).start();
                int end = tokens.get(last).end();
                if (start >= coveredUpTo) {
                    spans.add(new EntitySpan(found.getType().toUpperCase(Locale.ROOT), start, end));
                    coveredUpTo = end;
                }
            }
            if (to == tokens.size()) {
                break;
            }
        }
        return spans;
    }
}
