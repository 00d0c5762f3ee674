package dev.genaiplatform.retrieval.chunking;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's {@code static} strategy: windows of {@code maxTokens} tokens (cl100k_base, counted with jtokkit),
 * each starting {@code maxTokens - overlapTokens} tokens after the previous one. Structure-blind by design: it cuts
 * mid-sentence and mid-list, which is why overlap exists (a fact cut at a window's end is whole in the next one).
 * Offsets are exact character offsets, a window edge inside a multi-byte character moving to that character's
 * start. Leading and trailing whitespace of a window is left out; whitespace-only windows are dropped.
 */
public final class TokenWindowChunker implements Chunker {

    private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private final int maxTokens;
    private final int overlapTokens;

    public TokenWindowChunker(int maxTokens, int overlapTokens) {
        if (maxTokens < 100 || maxTokens > 4096) {
            throw new IllegalArgumentException("max_chunk_size_tokens must be between 100 and 4096");
        }
        if (overlapTokens < 0 || overlapTokens > maxTokens / 2) {
            throw new IllegalArgumentException("chunk_overlap_tokens must be between 0 and half of max_chunk_size_tokens");
        }
        this.maxTokens = maxTokens;
        this.overlapTokens = overlapTokens;
    }

    @Override
    public List<Chunk> chunk(String documentPath, String text) {
        IntArrayList tokens = ENCODING.encodeOrdinary(text);
        int[] charAtToken = charOffsets(text, tokens);
        List<Chunk> chunks = new ArrayList<>();
        int step = maxTokens - overlapTokens;
        for (int first = 0; first < tokens.size(); first += step) {
            int last = Math.min(tokens.size(), first + maxTokens);
            int start = charAtToken[first];
            int end = charAtToken[last];
            while (start < end && Character.isWhitespace(text.charAt(start))) {
                start++;
            }
            while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            if (end > start) {
                chunks.add(new Chunk(documentPath + "#" + chunks.size(), documentPath, "", start, end, text.substring(start, end)));
            }
            if (last == tokens.size()) {
                break;
            }
        }
        return chunks;
    }

    /** Character offset where each token starts (and, at index size, the text's length). */
    private static int[] charOffsets(String text, IntArrayList tokens) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        // the character each UTF-8 byte belongs to: a window edge inside a character moves to its start
        int[] charAtByte = new int[utf8.length + 1];
        int b = 0;
        for (int i = 0; i < text.length() && b < utf8.length; ) {
            int codePoint = text.codePointAt(i);
            boolean lone = Character.isSurrogate((char) codePoint); // encoded as one '?' byte
            int length = lone || codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            for (int k = 0; k < length && b < utf8.length; k++) {
                charAtByte[b++] = i;
            }
            i += Character.charCount(codePoint);
        }
        charAtByte[utf8.length] = text.length();
        int[] offsets = new int[tokens.size() + 1];
        int bytes = 0;
        for (int i = 0; i < tokens.size(); i++) {
            offsets[i] = charAtByte[Math.min(bytes, utf8.length)];
            bytes += ENCODING.decodeBytes(single(tokens.get(i))).length;
        }
        offsets[tokens.size()] = text.length();
        return offsets;
    }

    private static IntArrayList single(int token) {
        IntArrayList list = new IntArrayList(1);
        list.add(token);
        return list;
    }
}
