package dev.genaiplatform.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Resolves relative links the way GitHub does: against the linking file's folder, anchors against headings. */
final class LinkCheck {

    private final Map<Path, Set<String>> anchors = new HashMap<>();

    /** What is wrong with each link that does not resolve, one line each (empty when all resolve). */
    List<String> broken(List<MarkdownFile> files) {
        List<String> broken = new ArrayList<>();
        for (MarkdownFile file : files) {
            for (MarkdownFile.Link link : file.relativeLinks()) {
                String problem = problem(link);
                if (problem != null) {
                    broken.add(link.where() + ": " + link.target() + " -> " + problem);
                }
            }
        }
        return broken;
    }

    /** The file a link points to (the linking file itself for a bare {@code #anchor}). */
    static Path target(MarkdownFile.Link link) {
        String path = link.target().contains("#") ? link.target().substring(0, link.target().indexOf('#')) : link.target();
        path = java.net.URLDecoder.decode(path, java.nio.charset.StandardCharsets.UTF_8);
        return path.isEmpty() ? link.from().path() : link.from().path().getParent().resolve(path).normalize();
    }

    private String problem(MarkdownFile.Link link) {
        Path target = target(link);
        if (!Files.exists(target)) {
            return "no such file";
        }
        int hash = link.target().indexOf('#');
        if (hash < 0) {
            return null;
        }
        String anchor = link.target().substring(hash + 1);
        if (!target.toString().endsWith(".md")) {
            // a line anchor into source (#L10) is GitHub's, not checkable here; any other anchor is a mistake
            return anchor.matches("L\\d+(-L\\d+)?") ? null : "anchor into a file that is not Markdown";
        }
        Set<String> known = anchors.computeIfAbsent(target, path -> MarkdownFile.read(path).anchors());
        return known.contains(anchor) ? null : "no heading with anchor #" + anchor;
    }
}
