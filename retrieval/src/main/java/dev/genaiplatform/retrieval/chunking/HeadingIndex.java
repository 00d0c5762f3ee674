package dev.genaiplatform.retrieval.chunking;

import java.util.ArrayList;
import java.util.List;

/**
 * The Markdown heading path in effect at any offset of a source (headings inside fenced code do not count), so a
 * chunker that cuts without regard for sections can still say which section a chunk starts in.
 */
final class HeadingIndex {

    private final List<Integer> starts = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();

    HeadingIndex(String source) {
        String[] titles = new String[7];
        FenceTracker fences = new FenceTracker();
        for (Line line : Line.all(source)) {
            if (fences.inCode(line.content())) {
                continue;
            }
            Heading heading = Heading.parse(line.content());
            if (heading == null) {
                continue;
            }
            titles[heading.level()] = heading.title();
            for (int deeper = heading.level() + 1; deeper < titles.length; deeper++) {
                titles[deeper] = null;
            }
            starts.add(line.start());
            paths.add(path(titles));
        }
    }

    /** The heading path of the section that {@code offset} lies in; empty before the first heading. */
    String at(int offset) {
        String path = "";
        for (int i = 0; i < starts.size() && starts.get(i) <= offset; i++) {
            path = paths.get(i);
        }
        return path;
    }

    private static String path(String[] titles) {
        List<String> parts = new ArrayList<>();
        for (String title : titles) {
            if (title != null && !title.isEmpty()) {
                parts.add(title);
            }
        }
        return String.join(" > ", parts);
    }
}
