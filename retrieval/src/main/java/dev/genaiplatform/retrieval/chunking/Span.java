package dev.genaiplatform.retrieval.chunking;

/** A half-open range [start, end) of the source text. */
record Span(int start, int end) {

    static final char BYTE_ORDER_MARK = '\uFEFF';

    int length() {
        return end - start;
    }

    /**
     * The range without leading and trailing whitespace (a byte order mark counts as whitespace here); empty
     * (start == end) when it is all whitespace.
     */
    static Span trimmed(String source, int start, int end) {
        while (start < end && isSpace(source.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(source.charAt(end - 1))) {
            end--;
        }
        return new Span(start, end);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || c == BYTE_ORDER_MARK;
    }
}
