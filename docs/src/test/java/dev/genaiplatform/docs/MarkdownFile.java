package dev.genaiplatform.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Markdown file as far as links go: the links it makes (outside code) and the anchors its headings define,
 * spelled the way GitHub spells them.
 */
record MarkdownFile(Path path, List<String> lines) {

    /** {@code [text](target)} or {@code [text](target "title")}; images too, they must resolve as well. */
    private static final Pattern INLINE_LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    /** {@code [label]: target} on a line of its own. */
    private static final Pattern REFERENCE_LINK = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s+(\\S+)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Set<String> SKIPPED_FOLDERS = Set.of(".git", "target", "node_modules", ".platform", ".mvn");

    record Link(MarkdownFile from, int line, String target) {
        String where() {
            return from.path() + ":" + line;
        }
    }

    static MarkdownFile read(Path path) {
        try {
            return new MarkdownFile(path, Files.readAllLines(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code *.md} under {@code docs/} and every {@code README.md} of the repository. */
    static List<MarkdownFile> documentation(Path repositoryRoot) {
        try (Stream<Path> files = Files.walk(repositoryRoot)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> repositoryRoot.relativize(file).toString().endsWith(".md"))
                    .filter(file -> notSkipped(repositoryRoot.relativize(file)))
                    .filter(file -> file.getFileName().toString().equals("README.md")
                            || repositoryRoot.relativize(file).startsWith("docs"))
                    .sorted().map(MarkdownFile::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean notSkipped(Path relative) {
        for (Path part : relative) {
            if (SKIPPED_FOLDERS.contains(part.toString())) {
                return false;
            }
        }
        return true;
    }

    /** Links to files of this repository (relative targets, and same-file anchors); web links are skipped. */
    List<Link> relativeLinks() {
        List<Link> links = new ArrayList<>();
        forEachProseLine((number, line) -> {
            String prose = INLINE_CODE.matcher(line).replaceAll("");
            Matcher inline = INLINE_LINK.matcher(prose);
            while (inline.find()) {
                add(links, number, inline.group(1));
            }
            Matcher reference = REFERENCE_LINK.matcher(prose);
            if (reference.find()) {
                add(links, number, reference.group(1));
            }
        });
        return links;
    }

    private void add(List<Link> links, int number, String target) {
        if (!SCHEME.matcher(target).find()) {
            links.add(new Link(this, number, target.startsWith("<") ? target.substring(1, target.length() - 1) : target));
        }
    }

    /** The anchors GitHub generates for the headings: a repeated heading gets {@code -1}, {@code -2}, ... */
    Set<String> anchors() {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        forEachProseLine((number, line) -> {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(1));
                int times = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(times == 0 ? slug : slug + "-" + times);
            }
        });
        return anchors;
    }

    /** GitHub's rule: the heading's text, lower case, without punctuation but {@code -} and {@code _}, spaces as {@code -}. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "").strip()
                .toLowerCase(Locale.ROOT);
        return text.replaceAll("[^\\p{L}\\p{N}\\- _]", "").replace(' ', '-');
    }

    private void forEachProseLine(LineConsumer consumer) {
        boolean inFence = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.stripLeading().startsWith("```") || line.stripLeading().startsWith("~~~")) {
                inFence = !inFence;
                continue;
            }
            if (!inFence) {
                consumer.accept(i + 1, line);
            }
        }
    }

    private interface LineConsumer {
        void accept(int number, String line);
    }
}
