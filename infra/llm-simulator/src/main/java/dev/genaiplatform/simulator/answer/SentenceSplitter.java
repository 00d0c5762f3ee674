package dev.genaiplatform.simulator.answer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a Markdown passage into sentences that can be quoted word for word. Headings, code blocks, table
 * rows and rules are not prose and are skipped; list markers and blockquote markers are dropped;
 * whitespace is collapsed. Everything else of a sentence is the passage's own text, so a quoted sentence
 * is always found in its source once whitespace is collapsed there too.
 */
final class SentenceSplitter {

    private static final Pattern HEADING = Pattern.compile("^#{1,6}(\\s.*)?$");
    private static final Pattern RULE = Pattern.compile("^([-*_])(\\s*\\1){2,}\\s*$");
    private static final Pattern LIST_ITEM = Pattern.compile("^([-*+]|\\d{1,9}[.)])\\s+(.*)$");
    private static final Pattern BLOCKQUOTE = Pattern.compile("^>+\\s?(.*)$");
    private static final Pattern LEADING_NON_LETTERS = Pattern.compile("^\\P{L}+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    /** Sentence punctuation, then closing quotes, brackets or emphasis markers, then whitespace. */
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?][\"'’”)\\]*_`]*(?=\\s)");
    /** Abbreviations whose full stop does not end a sentence. */
    private static final Set<String> ABBREVIATIONS = Set.of("e.g.", "i.e.", "etc.", "vs.", "cf.", "approx.",
            "mr.", "mrs.", "ms.", "dr.", "no.", "fig.");

    private SentenceSplitter() {
    }

    static List<String> sentences(String passage) {
        List<String> sentences = new ArrayList<>();
        for (String block : blocks(passage)) {
            splitBlock(block, sentences);
        }
        return sentences;
    }

    /** Paragraphs and list items, each with its whitespace collapsed; everything that is not prose dropped. */
    static List<String> blocks(String passage) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inFence = false;
        for (String line : passage.split("\\R", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
                flush(current, blocks);
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            if (trimmed.isEmpty() || HEADING.matcher(trimmed).matches() || trimmed.startsWith("|")
                    || RULE.matcher(trimmed).matches() || trimmed.startsWith("<!--")) {
                flush(current, blocks);
                continue;
            }
            Matcher quote = BLOCKQUOTE.matcher(trimmed);
            if (quote.matches()) {
                // one block per quoted line: joining them would put the markers between the words
                flush(current, blocks);
                current.append(quote.group(1));
                flush(current, blocks);
                continue;
            }
            Matcher item = LIST_ITEM.matcher(trimmed);
            if (item.matches()) {
                flush(current, blocks);
                current.append(item.group(2));
                continue;
            }
            current.append(' ').append(trimmed);
        }
        flush(current, blocks);
        return blocks;
    }

    private static void flush(StringBuilder current, List<String> blocks) {
        String block = WHITESPACE.matcher(current).replaceAll(" ").strip();
        if (!block.isEmpty()) {
            blocks.add(block);
        }
        current.setLength(0);
    }

    private static void splitBlock(String block, List<String> sentences) {
        Matcher end = SENTENCE_END.matcher(block);
        int start = 0;
        while (end.find()) {
            if (isAbbreviation(block, start, end.start())) {
                continue;
            }
            addIfNotBlank(block.substring(start, end.end()), sentences);
            start = end.end();
        }
        addIfNotBlank(block.substring(start), sentences);
    }

    /** Whether the word that ends at {@code stop} (its full stop included) is a known abbreviation. */
    private static boolean isAbbreviation(String block, int start, int stop) {
        int wordStart = block.lastIndexOf(' ', stop) + 1;
        String word = block.substring(Math.max(start, wordStart), stop + 1).toLowerCase(Locale.ROOT);
        return ABBREVIATIONS.contains(LEADING_NON_LETTERS.matcher(word).replaceFirst(""));
    }

    private static void addIfNotBlank(String sentence, List<String> sentences) {
        String s = sentence.strip();
        if (!s.isEmpty()) {
            sentences.add(s);
        }
    }
}
