package dev.genaiplatform.gateway;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.genaiplatform.gateway.ui.WebUi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI's files are served on the public port without a key, with a strict Content-Security-Policy, and
 * opening them opened nothing else: every other path still needs a key, every other spelling of a UI path is a
 * 404, and no other method on a UI path is public. Its own context: the failed-authentication throttle counts
 * the 401s this class provokes, and must not count the page loads.
 */
@TestPropertySource(properties = { "platform.gateway.client.max-failed-authentications=40",
        "platform.gateway.client.failed-authentication-window=10m" })
class WebUiServingIT extends GatewayTestSupport {

    private static final Pattern IMPORT = Pattern.compile("(?:from|import)\\s+'([^']+)'");

    private static final Pattern HTML_REFERENCE = Pattern.compile("(?:src|href)=\"(/[^\"]*)\"");

    @Test
    void servesThePageWithoutAKeyUnderAStrictContentSecurityPolicy() {
        String page = get("/");
        client.get().uri("/").exchange()
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
            .expectHeader().valueEquals("Content-Security-Policy", WebUi.CONTENT_SECURITY_POLICY)
            .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
            .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
            .expectBody(Void.class);
        assertThat(WebUi.CONTENT_SECURITY_POLICY).contains("script-src 'self';").doesNotContain("unsafe");
        // no inline script or style for the policy to forbid: every script is a file, and there is no style attribute
        assertThat(page.split("<script", -1)).hasSize(2);
        assertThat(page).contains("<script type=\"module\" src=\"/ui/app.js\"></script>")
            .doesNotContain("<style").doesNotContain(" style=").doesNotContain(" onclick=");
        assertThat(backend.receivedNothing()).isTrue();
    }

    @Test
    void servesEveryUiFileAndBothWebJarsWithoutAKeyWithTheirContentType() {
        assertThat(WebUi.paths()).contains("/", "/ui/app.js", "/ui/app.css", "/webjars/marked/lib/marked.esm.js",
                "/webjars/dompurify/dist/purify.es.mjs");
        for (String path : WebUi.paths()) {
            String expected = path.equals("/") ? "text/html" : path.endsWith(".css") ? "text/css"
                    : path.endsWith(".svg") ? "image/svg+xml" : "text/javascript";
            client.get().uri(path).exchange()
                .expectStatus().isOk()
                .expectHeader().value(HttpHeaders.CONTENT_TYPE, type -> assertThat(type).startsWith(expected))
                .expectHeader().valueEquals("Content-Security-Policy", WebUi.CONTENT_SECURITY_POLICY)
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache")
                .expectBody(Void.class); // read to the end: an unread body would hold its connection
        }
    }

    /** A file the page or a module asks for but the list does not name would be a 401 in the browser. */
    @Test
    void everyFileThePageAndItsModulesReferToIsServed() {
        List<String> referenced = new ArrayList<>();
        Matcher html = HTML_REFERENCE.matcher(get("/"));
        while (html.find()) {
            referenced.add(html.group(1));
        }
        for (String path : WebUi.paths()) {
            if (path.startsWith("/ui/") && path.endsWith(".js")) {
                Matcher imports = IMPORT.matcher(get(path));
                while (imports.find()) {
                    referenced.add(URI.create("http://x" + path).resolve(imports.group(1)).getPath());
                }
            }
        }
        assertThat(referenced).contains("/ui/app.js", "/ui/chat.js", "/webjars/marked/lib/marked.esm.js");
        assertThat(WebUi.paths()).containsAll(referenced);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/index.html", "/ui", "/ui/index.html", "/ui/unknown.js", "/ui/app.js.map", "/favicon.ico",
            "/webjars/marked/lib/marked.esm.js.map", "/webjars/marked/15.0.7/lib/marked.esm.js", "/webjars/marked/lib/marked.umd.js",
            "/webjars/dompurify/dist/purify.js", "/META-INF/resources/webjars/marked/15.0.7/lib/marked.esm.js",
            "/application.yml", "/static/index.html", "/v1/models", "/api/retrieval/sources/chunk-1", "/api/admin/tenants" })
    void answersEveryOtherPathWithoutAKeyWith401(String path) {
        client.get().uri(path).exchange()
            .expectStatus().isUnauthorized()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(backend.receivedNothing()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "POST", "PUT", "DELETE", "PATCH", "HEAD" })
    void isPublicForGetOnly(String method) {
        for (String path : List.of("/", "/ui/app.js")) {
            client.method(HttpMethod.valueOf(method)).uri(path).exchange().expectStatus().isUnauthorized();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "/ui/../ui/app.js", "/ui//app.js", "/%75i/app.js", "/ui/%61pp.js", "/ui/app.js;x=1",
            "/ui/app.js/", "/ui/./app.js", "//ui/app.js", "/webjars/marked/lib/../lib/marked.esm.js",
            "/webjars/marked/lib%2fmarked.esm.js" })
    void answersAnotherSpellingOfAUiPathWith404(String rawPath) {
        client.get().uri(URI.create("http://127.0.0.1:" + port + rawPath)).exchange()
            .expectStatus().isNotFound()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void loadingThePageIsNotAFailedAuthentication() {
        for (int load = 0; load < 50; load++) {
            for (String path : WebUi.paths()) {
                client.get().uri(path).exchange().expectStatus().isOk().expectBody(Void.class);
            }
        }
        models(DEMO_KEY).expectStatus().isOk();
    }

    @Test
    void leavesTheApiBehindTheKey() {
        models(DEMO_KEY).expectStatus().isOk();
        client.get().uri("/v1/models").header(HttpHeaders.AUTHORIZATION, "Bearer wrong-key").exchange()
            .expectStatus().isUnauthorized();
    }

    private String get(String path) {
        byte[] body = client.get().uri(path).exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        return new String(body, StandardCharsets.UTF_8);
    }
}
