package dev.genaiplatform.gateway.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.webjars.WebJarVersionLocator;
import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The web UI: a handful of static files and two browser libraries, served on the public port at {@code /} so the
 * page and the API share one origin (no CORS, and the browser's same-origin rules protect the key).
 *
 * <p>Every file is listed here, by exact path: the API-key filter lets exactly these {@code GET}s through without a
 * key ({@link #isPublic}), and nothing else. There is no directory mapping (Spring's static-resource handler stays
 * off), so a new file in the jar is not served until it is named here, and no spelling of a path reaches a file
 * it does not name (the canonical-path filter has already refused {@code ..}, {@code //} and needless escapes).
 *
 * <p>The page needs no key; the key the user types is sent only on the API calls the page's scripts make.
 * Every answer carries a strict Content-Security-Policy: scripts only from this origin and never inline, so
 * text that slipped past the sanitiser could not run.
 */
public final class WebUi {

    /** No inline script or style, nothing from another origin, no framing, no plugins, no forms posting elsewhere. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** Path on the public port to the file it serves, read once at start (about 200 KB in all). */
    private static final Map<String, StaticFile> FILES = files();

    private WebUi() {
    }

    /** Whether this request is for one of the UI's files, which need no key. */
    public static boolean isPublic(HttpMethod method, String canonicalPath) {
        return HttpMethod.GET.equals(method) && FILES.containsKey(canonicalPath);
    }

    /** The paths served, for tests and the README. */
    public static Set<String> paths() {
        return FILES.keySet();
    }

    public static RouterFunction<ServerResponse> routes() {
        RouterFunctions.Builder routes = RouterFunctions.route();
        FILES.forEach((path, file) -> routes.GET(path, request -> serve(file)));
        return routes.build();
    }

    private static Mono<ServerResponse> serve(StaticFile file) {
        return ServerResponse.ok()
            .contentType(file.type())
            // revalidate every time: the files are small and a stale app.js next to a new API would confuse
            .cacheControl(CacheControl.noCache())
            .headers(headers -> {
                headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                headers.set("X-Content-Type-Options", "nosniff");
                headers.set("Referrer-Policy", "no-referrer");
                headers.set("Cross-Origin-Opener-Policy", "same-origin");
                headers.set("Cross-Origin-Resource-Policy", "same-origin");
            })
            .bodyValue(file.bytes());
    }

    private record StaticFile(MediaType type, byte[] bytes) {
    }

    /** Module scripts must come with a JavaScript type, and nosniff makes the browser hold us to it. */
    private static MediaType contentType(String filename) {
        if (filename.endsWith(".js") || filename.endsWith(".mjs")) {
            return new MediaType("text", "javascript", StandardCharsets.UTF_8);
        }
        if (filename.endsWith(".css")) {
            return new MediaType("text", "css", StandardCharsets.UTF_8);
        }
        if (filename.endsWith(".svg")) {
            return MediaType.valueOf("image/svg+xml");
        }
        return MediaType.TEXT_HTML;
    }

    private static Map<String, StaticFile> files() {
        Map<String, StaticFile> files = new LinkedHashMap<>();
        files.put("/", existing("ui/index.html"));
        for (String name : new String[] { "app.css", "favicon.svg", "app.js", "api.js", "sse.js", "chat.js", "trace.js",
                "documents.js", "agent.js" }) {
            files.put("/ui/" + name, existing("ui/" + name));
        }
        WebJarVersionLocator webJars = new WebJarVersionLocator();
        files.put("/webjars/marked/lib/marked.esm.js", webJar(webJars, "marked", "lib/marked.esm.js"));
        files.put("/webjars/dompurify/dist/purify.es.mjs", webJar(webJars, "dompurify", "dist/purify.es.mjs"));
        return Map.copyOf(files);
    }

    private static StaticFile webJar(WebJarVersionLocator webJars, String name, String path) {
        String fullPath = webJars.fullPath(name, path);
        if (fullPath == null) {
            throw new IllegalStateException("WebJar file missing from the classpath: " + name + "/" + path);
        }
        return existing(fullPath);
    }

    /** A file named here but missing from the jar fails the start, not the first visitor. */
    private static StaticFile existing(String location) {
        Resource resource = new ClassPathResource(location);
        try (InputStream in = resource.getInputStream()) {
            return new StaticFile(contentType(location), in.readAllBytes());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Web UI file missing from the classpath: " + location, ex);
        }
    }
}
