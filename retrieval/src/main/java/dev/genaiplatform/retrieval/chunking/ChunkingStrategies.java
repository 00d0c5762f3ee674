package dev.genaiplatform.retrieval.chunking;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code chunking_strategy} (OpenAI's JSON object, plus the platform's own type) into a {@link Chunker},
 * and normalises it to what is stored and echoed:
 * <ul>
 *   <li>absent or {@code {"type":"auto"}}: heading-aware Markdown ({@code markdown_headings}), sections cut at
 *       headings, long ones at paragraphs. HTML arrives with Markdown-style headings, so it benefits too.</li>
 *   <li>{@code {"type":"static","static":{"max_chunk_size_tokens":800,"chunk_overlap_tokens":400}}}: fixed token
 *       windows with overlap, OpenAI's semantics and limits (100..4096 tokens, overlap at most half).</li>
 *   <li>{@code {"type":"markdown_headings","max_chunk_chars":1000}}: the heading-aware chunker with its size.</li>
 *   <li>{@code {"type":"sentence","max_chunk_chars":800,"overlap_sentences":1}}: whole sentences packed up to the
 *       size, the last sentences repeated in the next chunk ({@link SentenceChunker}).</li>
 *   <li>{@code {"type":"recursive","max_chunk_chars":800,"chunk_overlap_chars":100}}: recursive character splitting
 *       (paragraphs, lines, sentences, words) with overlap ({@link RecursiveCharacterChunker}).</li>
 * </ul>
 */
public final class ChunkingStrategies {

    public static final String AUTO = "auto";
    public static final String STATIC = "static";
    public static final String MARKDOWN_HEADINGS = "markdown_headings";
    public static final String SENTENCE = "sentence";
    public static final String RECURSIVE = "recursive";

    private final int defaultMaxChars;

    public ChunkingStrategies(int defaultMaxChars) {
        this.defaultMaxChars = defaultMaxChars;
    }

    /** The strategy as stored; throws {@link IllegalArgumentException} naming what is wrong. */
    public Map<String, Object> normalise(Map<String, Object> requested) {
        String type = requested == null || requested.get("type") == null ? AUTO : String.valueOf(requested.get("type"));
        Map<String, Object> normal = new LinkedHashMap<>();
        switch (type) {
            case AUTO, MARKDOWN_HEADINGS -> {
                int maxChars = requested != null && requested.get("max_chunk_chars") instanceof Number n ? n.intValue() : defaultMaxChars;
                if (maxChars < 100 || maxChars > 20_000) {
                    throw new IllegalArgumentException("max_chunk_chars must be between 100 and 20000");
                }
                normal.put("type", MARKDOWN_HEADINGS);
                normal.put("max_chunk_chars", maxChars);
            }
            case STATIC -> {
                if (!(requested.get(STATIC) instanceof Map<?, ?> parameters)
                        || !(parameters.get("max_chunk_size_tokens") instanceof Number max)
                        || !(parameters.get("chunk_overlap_tokens") instanceof Number overlap)) {
                    throw new IllegalArgumentException("a static strategy needs static.max_chunk_size_tokens and static.chunk_overlap_tokens");
                }
                new TokenWindowChunker(max.intValue(), overlap.intValue()); // validates the bounds
                normal.put("type", STATIC);
                normal.put(STATIC, Map.of("max_chunk_size_tokens", max.intValue(), "chunk_overlap_tokens", overlap.intValue()));
            }
            case SENTENCE -> {
                int maxChars = number(requested, "max_chunk_chars", defaultMaxChars);
                int overlap = number(requested, "overlap_sentences", 1);
                new SentenceChunker(maxChars, overlap); // validates the bounds
                normal.put("type", SENTENCE);
                normal.put("max_chunk_chars", maxChars);
                normal.put("overlap_sentences", overlap);
            }
            case RECURSIVE -> {
                int maxChars = number(requested, "max_chunk_chars", defaultMaxChars);
                int overlap = number(requested, "chunk_overlap_chars", maxChars / 8);
                new RecursiveCharacterChunker(maxChars, overlap); // validates the bounds
                normal.put("type", RECURSIVE);
                normal.put("max_chunk_chars", maxChars);
                normal.put("chunk_overlap_chars", overlap);
            }
            default -> throw new IllegalArgumentException("unknown chunking strategy type '" + type
                    + "': use auto, static, markdown_headings, sentence or recursive");
        }
        return normal;
    }

    private static int number(Map<String, Object> requested, String key, int otherwise) {
        Object value = requested.get(key);
        if (value == null) {
            return otherwise;
        }
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException(key + " must be a number");
        }
        return number.intValue();
    }

    /** The chunker of a normalised strategy. */
    public Chunker chunker(Map<String, Object> strategy) {
        Map<String, Object> normal = normalise(strategy);
        if (SENTENCE.equals(normal.get("type"))) {
            return new SentenceChunker(((Number) normal.get("max_chunk_chars")).intValue(),
                    ((Number) normal.get("overlap_sentences")).intValue());
        }
        if (RECURSIVE.equals(normal.get("type"))) {
            return new RecursiveCharacterChunker(((Number) normal.get("max_chunk_chars")).intValue(),
                    ((Number) normal.get("chunk_overlap_chars")).intValue());
        }
        if (STATIC.equals(normal.get("type"))) {
            Map<?, ?> parameters = (Map<?, ?>) normal.get(STATIC);
            return new TokenWindowChunker(((Number) parameters.get("max_chunk_size_tokens")).intValue(),
                    ((Number) parameters.get("chunk_overlap_tokens")).intValue());
        }
        return new MarkdownHeadingChunker(((Number) normal.get("max_chunk_chars")).intValue());
    }
}
