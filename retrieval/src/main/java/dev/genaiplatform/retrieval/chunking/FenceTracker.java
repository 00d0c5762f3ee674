package dev.genaiplatform.retrieval.chunking;

/**
 * Follows fenced code blocks line by line: a fence opens with three or more backticks or tildes (up to three
 * spaces of indent) and closes with a run of the same character at least as long, with nothing after it.
 * Everything from the opening to the closing fence, both included, is code. An unclosed fence runs to the end.
 */
final class FenceTracker {

    private char marker;
    private int length;

    /** Feeds the next line; true when that line belongs to a code block (fences included). */
    boolean inCode(String line) {
        String text = line.stripLeading();
        if (line.length() - text.length() > 3) {
            return length > 0; // indented four or more: never a fence line
        }
        if (length > 0) {
            int run = run(text, marker);
            if (run >= length && text.substring(run).isBlank()) {
                length = 0;
            }
            return true;
        }
        for (char candidate : new char[] {'`', '~'}) {
            int run = run(text, candidate);
            // a backtick fence's info string may not contain backticks (that would be inline code)
            if (run >= 3 && (candidate == '~' || text.indexOf('`', run) < 0)) {
                marker = candidate;
                length = run;
                return true;
            }
        }
        return false;
    }

    private static int run(String text, char c) {
        int n = 0;
        while (n < text.length() && text.charAt(n) == c) {
            n++;
        }
        return n;
    }
}
