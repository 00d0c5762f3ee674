package dev.genaiplatform.retrieval.chunking;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive character splitting with overlap (the splitter many RAG libraries default to): the text is split at
 * the coarsest separator that makes pieces small enough (blank lines, then line breaks, then sentence ends, then
 * spaces, then anywhere), and neighbouring pieces are merged back into chunks of at most {@code maxChars}. Each
 * chunk after the first starts with the last pieces of the one before, up to {@code overlapChars}, so a fact cut at
 * a chunk's end is whole in the next one. Nothing is rewritten: chunks are exact substrings, separators stay where
 * they were, leading and trailing whitespace is left out. A heading is never the last piece of a chunk (it moves
 * to the chunk it introduces); the heading path is the section the chunk starts in.
 */
public final class RecursiveCharacterChunker implements Chunker {

    private static final String[] SEPARATORS = {"\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " "};

    private final int maxChars;
    private final int overlapChars;

    public RecursiveCharacterChunker(int maxChars, int overlapChars) {
        if (maxChars < 100 || maxChars > 20_000) {
            throw new IllegalArgumentException("max_chunk_chars must be between 100 and 20000");
        }
        if (overlapChars < 0 || overlapChars > maxChars / 2) {
            throw new IllegalArgumentException("chunk_overlap_chars must be between 0 and half of max_chunk_chars");
        }
        this.maxChars = maxChars;
        this.overlapChars = overlapChars;
    }

    private record Piece(int start, int end) {
        int length() {
            return end - start;
        }
    }

    @Override
    public List<Chunk> chunk(String documentPath, String text) {
        List<Piece> pieces = new ArrayList<>();
        split(text, 0, text.length(), 0, pieces);
        HeadingIndex headings = new HeadingIndex(text);
        List<Chunk> chunks = new ArrayList<>();
        int first = 0;
        while (first < pieces.size()) {
            int next = first;
            while (next < pieces.size() && pieces.get(next).end() - pieces.get(first).start() <= maxChars) {
                next++;
            }
            next = Math.max(next, first + 1);
            while (next - 1 > first && next < pieces.size() && isHeading(text, pieces.get(next - 1))) {
                next--; // a heading belongs with the text it introduces, not at the end of the chunk before
            }
            emit(documentPath, text, pieces.get(first).start(), pieces.get(next - 1).end(), headings, chunks);
            if (next >= pieces.size()) {
                break;
            }
            int overlapStart = next;
            while (overlapStart - 1 > first && pieces.get(next - 1).end() - pieces.get(overlapStart - 1).start() <= overlapChars) {
                overlapStart--;
            }
            // the overlap must leave room for at least the next new piece, or it would only repeat the previous chunk
            boolean room = pieces.get(next).end() - pieces.get(overlapStart).start() <= maxChars;
            first = room ? overlapStart : next;
        }
        return chunks;
    }

    private static boolean isHeading(String text, Piece piece) {
        return Heading.parse(text.substring(piece.start(), piece.end()).strip()) != null;
    }

    /** Splits [start, end) into contiguous pieces of at most maxChars, each separator kept at its piece's end. */
    private void split(String text, int start, int end, int level, List<Piece> pieces) {
        if (end - start <= maxChars) {
            pieces.add(new Piece(start, end));
            return;
        }
        if (level == SEPARATORS.length) {
            int from = start;
            while (from < end) {
                int to = Math.min(end, from + maxChars);
                if (to < end && Character.isHighSurrogate(text.charAt(to - 1))) {
                    to--; // never split a surrogate pair
                }
                pieces.add(new Piece(from, to));
                from = to;
            }
            return;
        }
        String separator = SEPARATORS[level];
        int from = start;
        while (from < end) {
            int at = text.indexOf(separator, from);
            int to = at < 0 || at + separator.length() > end ? end : at + separator.length();
            if (to - from > maxChars) {
                split(text, from, to, level + 1, pieces);
            } else {
                pieces.add(new Piece(from, to));
            }
            from = to;
        }
    }

    private static void emit(String documentPath, String text, int start, int end, HeadingIndex headings, List<Chunk> chunks) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (end > start) {
            chunks.add(new Chunk(documentPath + "#" + chunks.size(), documentPath, headings.at(start), start, end,
                    text.substring(start, end)));
        }
    }
}
