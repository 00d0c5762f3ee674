package dev.genaiplatform.retrieval.chunking;

/**
 * An ATX heading line as CommonMark defines it: up to three spaces, one to six '#', then a space, a tab or the
 * end of the line ({@code #hashtag} is not a heading); an optional closing run of '#' is not part of the title.
 */
record Heading(int level, String title) {

    /** The heading on this line, or null when the line is not one. */
    static Heading parse(String line) {
        if (!line.isEmpty() && line.charAt(0) == Span.BYTE_ORDER_MARK) {
            line = line.substring(1); // a file saved "with BOM" still starts with its title
        }
        int indent = 0;
        while (indent < line.length() && indent < 4 && line.charAt(indent) == ' ') {
            indent++;
        }
        if (indent > 3) {
            return null; // indented code
        }
        int hashes = 0;
        while (indent + hashes < line.length() && line.charAt(indent + hashes) == '#') {
            hashes++;
        }
        int after = indent + hashes;
        if (hashes == 0 || hashes > 6 || (after < line.length() && !isBlank(line.charAt(after)))) {
            return null;
        }
        return new Heading(hashes, title(line.substring(after).strip()));
    }

    private static String title(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '#') {
            end--;
        }
        if (end == 0) {
            return "";
        }
        // "## Title ##" closes; "## C#" does not (the closing run must follow a space)
        return isBlank(text.charAt(end - 1)) ? text.substring(0, end).strip() : text;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
