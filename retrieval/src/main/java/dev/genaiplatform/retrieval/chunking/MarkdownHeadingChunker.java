package dev.genaiplatform.retrieval.chunking;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits Markdown into one chunk per section, a section running from an ATX heading ({@code #} to
 * {@code ######}) to the next heading. Sections are natural units of meaning in documentation, and the heading
 * path gives every chunk the context a fixed-size window would cut off.
 *
 * <p>Choices, each visible in the tests:
 * <ul>
 *   <li>The heading line stays in the chunk text, so a cited chunk reads on its own and its offsets cover one
 *       contiguous region of the file.</li>
 *   <li>Offsets are exact: {@code source.substring(start, end)} is the chunk text, with leading and trailing
 *       whitespace (blank lines, CR of CRLF) left out. Nothing is normalised, so CRLF files and any Unicode work.</li>
 *   <li>{@code #} lines inside fenced code blocks ({@code ```} or {@code ~~~}) are code, not headings.</li>
 *   <li>A section with nothing under its heading is skipped; so is blank text before the first heading.</li>
 *   <li>A section longer than {@code maxChars} is split at blank lines (outside code fences), then between list
 *       items (indented continuation lines stay with their item), then at line ends, then at the last space before
 *       the limit. Pieces keep the section's heading path. A heading line alone is never a piece: it joins the
 *       piece after it, so a piece may exceed the limit by the heading's length.</li>
 *   <li>A byte order mark at the start of the file is not part of the first chunk.</li>
 * </ul>
 * Not handled: Setext headings ({@code ===} / {@code ---} underlines), YAML front matter (it becomes part of the
 * first section), headings inside HTML blocks or block quotes, lone-CR line ends. No overlap between pieces.
 */
public final class MarkdownHeadingChunker implements Chunker {

    private static final int MAX_HEADING_LEVEL = 6;

    private final int maxChars;

    public MarkdownHeadingChunker(int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be positive");
        }
        this.maxChars = maxChars;
    }

    /** The chunks of one document, in document order. */
    @Override
    public List<Chunk> chunk(String documentPath, String source) {
        List<Chunk> chunks = new ArrayList<>();
        for (Section section : sections(source)) {
            for (Span piece : split(source, section)) {
                chunks.add(new Chunk(documentPath + "#" + chunks.size(), documentPath, section.headingPath(),
                        piece.start(), piece.end(), source.substring(piece.start(), piece.end())));
            }
        }
        return chunks;
    }

    /** A section: [start, end) of the source, the end of its heading line (== start without one), its path. */
    private record Section(int start, int headingEnd, int end, String headingPath) {
    }

    private static List<Section> sections(String source) {
        List<Section> sections = new ArrayList<>();
        String[] titles = new String[MAX_HEADING_LEVEL + 1];
        int sectionStart = 0;
        int headingEnd = 0;
        String headingPath = "";
        FenceTracker fences = new FenceTracker();
        for (Line line : Line.all(source)) {
            if (fences.inCode(line.content())) {
                continue;
            }
            Heading heading = Heading.parse(line.content());
            if (heading == null) {
                continue;
            }
            sections.add(new Section(sectionStart, headingEnd, line.start(), headingPath));
            titles[heading.level()] = heading.title();
            for (int deeper = heading.level() + 1; deeper <= MAX_HEADING_LEVEL; deeper++) {
                titles[deeper] = null;
            }
            headingPath = path(titles);
            sectionStart = line.start();
            headingEnd = line.contentEnd();
        }
        sections.add(new Section(sectionStart, headingEnd, source.length(), headingPath));
        return sections.stream().filter(section -> hasBody(source, section)).toList();
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

    private static boolean hasBody(String source, Section section) {
        return !source.substring(section.headingEnd(), section.end()).isBlank();
    }

    private List<Span> split(String source, Section section) {
        Span whole = Span.trimmed(source, section.start(), section.end());
        if (whole.length() <= maxChars) {
            return List.of(whole);
        }
        List<Span> pieces = pack(source, paragraphs(source, whole), Level.PARAGRAPHS);
        // keep a heading from standing alone when the paragraph after it had to be cut on its own
        if (pieces.size() > 1 && pieces.getFirst().end() <= section.headingEnd()) {
            Span merged = new Span(pieces.getFirst().start(), pieces.get(1).end());
            pieces = new ArrayList<>(pieces.subList(2, pieces.size()));
            pieces.addFirst(merged);
        }
        return pieces;
    }

    /** How a unit too long to be a piece on its own is broken into finer units, coarsest first. */
    private enum Level {
        /** blank-line separated paragraphs; an oversized one is broken into list items */
        PARAGRAPHS,
        /** lines, with indented continuation lines kept with the line above (a wrapped list item stays whole) */
        ITEMS,
        /** single lines; an oversized one is cut at spaces */
        LINES
    }

    /** Greedily joins consecutive units while the joined span fits; a unit too long on its own is broken finer. */
    private List<Span> pack(String source, List<Span> units, Level level) {
        List<Span> pieces = new ArrayList<>();
        Span current = null;
        for (Span unit : units) {
            if (unit.length() > maxChars) {
                if (current != null) {
                    pieces.add(current);
                    current = null;
                }
                pieces.addAll(breakFiner(source, unit, level));
            } else if (current == null) {
                current = unit;
            } else if (unit.end() - current.start() <= maxChars) {
                current = new Span(current.start(), unit.end());
            } else {
                pieces.add(current);
                current = unit;
            }
        }
        if (current != null) {
            pieces.add(current);
        }
        return pieces;
    }

    private List<Span> breakFiner(String source, Span unit, Level level) {
        return switch (level) {
            case PARAGRAPHS -> pack(source, lines(source, unit, true), Level.ITEMS);
            case ITEMS -> pack(source, lines(source, unit, false), Level.LINES);
            case LINES -> cutAtSpaces(source, unit);
        };
    }

    private static List<Span> lines(String source, Span unit, boolean keepContinuations) {
        List<Span> lines = new ArrayList<>();
        for (Line line : Line.all(source, unit.start(), unit.end())) {
            Span trimmed = Span.trimmed(source, line.start(), line.contentEnd());
            if (trimmed.length() == 0) {
                continue;
            }
            boolean continuation = trimmed.start() > line.start();
            if (keepContinuations && continuation && !lines.isEmpty()) {
                lines.set(lines.size() - 1, new Span(lines.getLast().start(), trimmed.end()));
            } else {
                lines.add(trimmed);
            }
        }
        return lines;
    }

    /** Last resort for one very long line: cut at the last whitespace before the limit, else at the limit. */
    private List<Span> cutAtSpaces(String source, Span line) {
        List<Span> pieces = new ArrayList<>();
        int start = line.start();
        while (line.end() - start > maxChars) {
            int limit = start + maxChars;
            int cut = limit;
            while (cut > start + maxChars / 2 && !Character.isWhitespace(source.charAt(cut))) {
                cut--;
            }
            if (cut == start + maxChars / 2) {
                cut = limit;
            }
            if (Character.isLowSurrogate(source.charAt(cut))) {
                cut--; // never separate the two halves of an emoji or other supplementary character
            }
            pieces.add(Span.trimmed(source, start, cut));
            start = Span.trimmed(source, cut, line.end()).start();
        }
        pieces.add(Span.trimmed(source, start, line.end()));
        return pieces;
    }

    /** Paragraphs of a span: runs of lines separated by blank lines; blank lines inside code fences do not count. */
    private static List<Span> paragraphs(String source, Span span) {
        List<Span> paragraphs = new ArrayList<>();
        FenceTracker fences = new FenceTracker();
        int paragraphStart = -1;
        int paragraphEnd = -1;
        for (Line line : Line.all(source, span.start(), span.end())) {
            boolean code = fences.inCode(line.content());
            if (!code && line.content().isBlank()) {
                if (paragraphStart >= 0) {
                    paragraphs.add(new Span(paragraphStart, paragraphEnd));
                    paragraphStart = -1;
                }
                continue;
            }
            if (paragraphStart < 0) {
                paragraphStart = line.start();
            }
            paragraphEnd = line.contentEnd();
        }
        if (paragraphStart >= 0) {
            paragraphs.add(new Span(paragraphStart, paragraphEnd));
        }
        return paragraphs.stream().map(p -> Span.trimmed(source, p.start(), p.end())).toList();
    }
}
