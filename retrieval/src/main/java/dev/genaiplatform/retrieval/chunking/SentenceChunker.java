package dev.genaiplatform.retrieval.chunking;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sentence-based chunking: whole sentences packed into chunks of at most {@code maxChars}, each chunk after the
 * first repeating the last {@code overlapSentences} sentences of the one before. A chunk never ends mid-sentence,
 * so no passage hands the model half a claim. Sentences come from the JDK's {@link BreakIterator} (English rules:
 * it keeps "e.g." and "3.5" whole), with line breaks that end a heading, a list item or a paragraph counted as
 * sentence ends too, since Markdown lists and headings carry no full stop. A heading always opens a new chunk. A single sentence longer than
 * {@code maxChars} becomes a chunk of its own, cut at spaces. Offsets are exact; the heading path is the section
 * the chunk starts in.
 */
public final class SentenceChunker implements Chunker {

    private final int maxChars;
    private final int overlapSentences;

    public SentenceChunker(int maxChars, int overlapSentences) {
        if (maxChars < 100 || maxChars > 20_000) {
            throw new IllegalArgumentException("max_chunk_chars must be between 100 and 20000");
        }
        if (overlapSentences < 0 || overlapSentences > 5) {
            throw new IllegalArgumentException("overlap_sentences must be between 0 and 5");
        }
        this.maxChars = maxChars;
        this.overlapSentences = overlapSentences;
    }

    /** @param heading a Markdown heading line: it always opens a chunk, so no chunk spans two sections */
    record Sentence(int start, int end, boolean heading) {
    }

    @Override
    public List<Chunk> chunk(String documentPath, String text) {
        List<Sentence> sentences = sentences(text);
        HeadingIndex headings = new HeadingIndex(text);
        List<Chunk> chunks = new ArrayList<>();
        int first = 0;
        while (first < sentences.size()) {
            int next = first + 1; // at least one sentence, however long
            while (next < sentences.size() && !sentences.get(next).heading()
                    && sentences.get(next).end() - sentences.get(first).start() <= maxChars) {
                next++;
            }
            add(documentPath, text, sentences.get(first).start(), sentences.get(next - 1).end(), headings, chunks);
            if (next >= sentences.size()) {
                break;
            }
            int overlapStart = Math.max(first + 1, next - overlapSentences);
            // repeat sentences only within a section, and only if the next new one still fits beside them
            boolean overlap = !sentences.get(next).heading()
                    && sentences.get(next).end() - sentences.get(overlapStart).start() <= maxChars;
            first = overlap ? overlapStart : next;
        }
        return chunks;
    }

    /** Sentences without their surrounding whitespace; over-long ones already cut to maxChars at spaces. */
    List<Sentence> sentences(String text) {
        List<Sentence> sentences = new ArrayList<>();
        BreakIterator iterator = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        for (Line line : blocks(text)) {
            String block = text.substring(line.start(), line.contentEnd());
            if (Heading.parse(block) != null) {
                addTrimmed(text, line.start(), line.contentEnd(), true, sentences);
                continue;
            }
            iterator.setText(block);
            int start = iterator.first();
            for (int end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
                addTrimmed(text, line.start() + start, line.start() + end, false, sentences);
            }
        }
        return sentences;
    }

    /**
     * Runs of text between structural line breaks: a blank line, a heading, a list item or a table row starts a new
     * block, so it also ends the sentence before it. Wrapped lines of one paragraph stay one block.
     */
    private static List<Line> blocks(String text) {
        List<Line> blocks = new ArrayList<>();
        int blockStart = -1;
        int blockEnd = -1;
        for (Line line : Line.all(text)) {
            String content = line.content().strip();
            boolean structural = content.isEmpty() || content.startsWith("#") || content.startsWith("- ")
                    || content.startsWith("* ") || content.startsWith("|") || content.startsWith(">")
                    || content.startsWith("```") || content.matches("\\d+[.)] .*");
            if (structural && blockStart >= 0) {
                blocks.add(new Line(blockStart, blockEnd, null));
                blockStart = -1;
            }
            if (!content.isEmpty()) {
                if (blockStart < 0) {
                    blockStart = line.start();
                }
                blockEnd = line.contentEnd();
            }
            if (content.startsWith("#") && blockStart >= 0) { // a heading is a block of its own
                blocks.add(new Line(blockStart, blockEnd, null));
                blockStart = -1;
            }
        }
        if (blockStart >= 0) {
            blocks.add(new Line(blockStart, blockEnd, null));
        }
        return blocks;
    }

    private void addTrimmed(String text, int start, int end, boolean heading, List<Sentence> sentences) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        while (end - start > maxChars) {
            int cut = text.lastIndexOf(' ', start + maxChars);
            cut = cut <= start ? start + maxChars : cut;
            if (Character.isHighSurrogate(text.charAt(cut - 1))) {
                cut--;
            }
            sentences.add(new Sentence(start, cut, heading));
            start = cut;
            while (start < end && Character.isWhitespace(text.charAt(start))) {
                start++;
            }
        }
        if (end > start) {
            sentences.add(new Sentence(start, end, heading));
        }
    }

    private static void add(String documentPath, String text, int start, int end, HeadingIndex headings, List<Chunk> chunks) {
        chunks.add(new Chunk(documentPath + "#" + chunks.size(), documentPath, headings.at(start), start, end,
                text.substring(start, end)));
    }
}
