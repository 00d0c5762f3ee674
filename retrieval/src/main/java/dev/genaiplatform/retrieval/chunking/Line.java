package dev.genaiplatform.retrieval.chunking;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of the source: where it starts, where its content ends (before "\n" or "\r\n"), and the content.
 * Working on offsets rather than on {@code String.lines()} is what keeps chunk offsets exact.
 */
record Line(int start, int contentEnd, String content) {

    static List<Line> all(String source) {
        return all(source, 0, source.length());
    }

    static List<Line> all(String source, int from, int to) {
        List<Line> lines = new ArrayList<>();
        int start = from;
        while (start < to) {
            int newline = source.indexOf('\n', start);
            int lineEnd = newline < 0 || newline >= to ? to : newline;
            int contentEnd = lineEnd > start && source.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
            lines.add(new Line(start, contentEnd, source.substring(start, contentEnd)));
            start = lineEnd + 1;
        }
        return lines;
    }
}
