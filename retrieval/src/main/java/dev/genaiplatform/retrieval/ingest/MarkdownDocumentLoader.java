package dev.genaiplatform.retrieval.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the Markdown files matching a Spring resource pattern, {@code file:/srv/docs/**}{@code /*.md} or
 * {@code classpath*:platform-docs/**}{@code /*.md}, and names each by its path relative to the pattern's base
 * folder (everything before the first wildcard). That relative path is what citations show, so it must not
 * depend on where the folder happens to live.
 */
public final class MarkdownDocumentLoader {

    private static final Logger log = LoggerFactory.getLogger(MarkdownDocumentLoader.class);

    private final ResourcePatternResolver resolver;
    private final Set<String> excludedFolders;

    public MarkdownDocumentLoader(ResourcePatternResolver resolver, List<String> excludedFolders) {
        this.resolver = resolver;
        this.excludedFolders = Set.copyOf(excludedFolders);
    }

    /** The matching documents sorted by path; with {@code classpath*:}, the first of two equal paths wins. */
    public List<SourceDocument> load(String pattern) {
        try {
            String base = baseLocation(pattern);
            List<String> roots = Arrays.stream(resolver.getResources(base)).map(MarkdownDocumentLoader::location)
                    .map(root -> root.endsWith("/") ? root : root + "/").toList();
            Map<String, SourceDocument> documents = new LinkedHashMap<>();
            for (Resource resource : resolver.getResources(pattern)) {
                if (!resource.isReadable()) {
                    continue; // a folder whose name happens to match
                }
                String path = relativePath(location(resource), roots, base);
                if (isExcluded(path)) {
                    continue;
                }
                if (documents.containsKey(path)) {
                    log.warn("Skipping {}: another resource already provided {}", resource.getDescription(), path);
                    continue;
                }
                documents.put(path, new SourceDocument(path, resource.getContentAsString(StandardCharsets.UTF_8)));
            }
            List<SourceDocument> sorted = new ArrayList<>(documents.values());
            sorted.sort(Comparator.comparing(SourceDocument::path));
            return sorted;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read documents from " + pattern, e);
        }
    }

    /** {@code file:/srv/docs/**}{@code /*.md} gives {@code file:/srv/docs/}: up to the last '/' before a wildcard. */
    static String baseLocation(String pattern) {
        int prefixEnd = pattern.indexOf(':') + 1;
        int wildcard = pattern.length();
        for (char c : new char[] {'*', '?', '{', '['}) {
            int at = pattern.indexOf(c, prefixEnd);
            if (at >= 0 && at < wildcard) {
                wildcard = at;
            }
        }
        int slash = pattern.lastIndexOf('/', wildcard - 1);
        return slash < prefixEnd ? pattern.substring(0, prefixEnd) : pattern.substring(0, slash + 1);
    }

    /**
     * A comparable location: files by their normalised {@code file:///} URI (the resolver returns both
     * {@code file:/x} and {@code file:///x} forms), everything else (jar entries) by its URI.
     */
    private static String location(Resource resource) {
        try {
            if (resource.isFile()) {
                return resource.getFile().toPath().toAbsolutePath().normalize().toUri().toString();
            }
            return resource.getURI().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String relativePath(String location, List<String> roots, String base) {
        String relative = null;
        for (String root : roots) {
            if (location.startsWith(root) && (relative == null || location.length() - root.length() < relative.length())) {
                relative = location.substring(root.length());
            }
        }
        if (relative == null) {
            // no root matched (a jar without directory entries): cut after the base folder's own path
            String basePath = base.substring(base.indexOf(':') + 1).replaceFirst("^/+", "");
            int at = basePath.isEmpty() ? -1 : location.lastIndexOf("/" + basePath);
            relative = at < 0 ? location.substring(location.lastIndexOf('/') + 1)
                    : location.substring(at + 1 + basePath.length());
        }
        return URLDecoder.decode(relative.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private boolean isExcluded(String path) {
        String[] segments = path.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            if (segments[i].startsWith(".") || excludedFolders.contains(segments[i])) {
                return true;
            }
        }
        return false;
    }
}
