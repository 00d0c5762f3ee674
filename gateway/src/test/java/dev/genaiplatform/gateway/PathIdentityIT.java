package dev.genaiplatform.gateway;

import java.net.URI;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every spelling of a routed path but the canonical one is a 404 problem that never reaches a backend, so no
 * spelling can route to a service while skipping the checks bound to the route (chat validation, model
 * allow-list, scope). The body asks for a model the demo key may not use: had any variant been routed without
 * the checks, the backend would have received it.
 */
class PathIdentityIT extends GatewayTestSupport {

    static Stream<String> variantsOfRoutedPaths() {
        return Stream.of(
                // the four spellings that skipped the chat checks before
                "/v1/chat/completions;x=1", "/v1;/chat/completions", "/v1/chat/%63ompletions", "/%76%31/chat/completions",
                // matrix parameters anywhere, escaped or not
                "/v1/chat;a=b/completions", "/v1/chat/completions;", "/v1/chat/completions%3bx=1", "/v1/chat/completions%3Bx=1",
                // dot segments, literal and escaped
                "/v1/./chat/completions", "/v1/chat/../chat/completions", "/v1/x/../chat/completions",
                "/v1/chat/%2e%2e/chat/completions", "/v1/chat/%2E/completions", "/v1/chat/.%2e/chat/completions",
                "/v1/chat/completions/.", "/v1/chat/completions/..",
                // separators in disguise
                "/v1/chat%2fcompletions", "/v1/chat%2Fcompletions", "/v1%2fchat%2fcompletions", "/v1/chat%5ccompletions",
                "/v1/chat/completions%25", "/v1/chat/completions%2500",
                // empty segments and trailing slashes
                "//v1/chat/completions", "/v1//chat/completions", "/v1/chat//completions", "/v1/chat/completions/",
                "/v1/chat/completions//",
                // needless escapes of unreserved characters, upper and lower case hex
                "/v1/%63hat/completions", "/v1/chat/completion%73", "/v1/chat/completion%53", "/%2Fv1/chat/completions",
                // control characters and NUL, escaped
                "/v1/chat/completions%00", "/v1/chat/completions%0d%0aX-Injected:%201", "/v1/chat/completions%09",
                // case variants: no route matches, Spring compares case-sensitively
                "/V1/chat/completions", "/v1/Chat/Completions", "/V1/CHAT/COMPLETIONS",
                // the same tricks against scope-bearing prefixes
                "/api/evaluation;/feedback/1", "/api/evaluation/%66eedback/1", "/api/evaluation/feedback/../runs",
                "/api/admin;/signing-keys/rotate", "/api/%61dmin/signing-keys/rotate", "/.well-known/jwks.json;x",
                "/v1/models;x=1", "/v1/%6dodels", "/v1/models/");
    }

    @ParameterizedTest
    @MethodSource("variantsOfRoutedPaths")
    void answersAVariantSpellingWithA404ProblemAndNeverRoutesIt(String rawPath) {
        client.post().uri(URI.create("http://127.0.0.1:" + port + rawPath))
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(VALID_CHAT.replace("sim-small", "sim-large"))
            .exchange()
            .expectStatus().isNotFound()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.status").isEqualTo(404);
        assertThat(backend.receivedNothing()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "/v1/chat\\completions", "/v1\\chat/completions", "/v1/chat/completions\\",
            "/v1/chat/completions;x=1", "/v1/chat/%63ompletions" })
    void answersARawBackslashOrMatrixSpellingSentOverTheWireWithA404(String rawPath) {
        String body = VALID_CHAT.replace("sim-small", "sim-large");
        RawHttp.Answer answer = RawHttp.send(port, "POST " + rawPath + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + DEMO_KEY + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\n\r\n" + body);
        assertThat(answer.closed()).isTrue();
        assertThat(answer.status()).isIn(400, 404);
        assertThat(backend.receivedNothing()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "/api/evaluation/feedback/caf%C3%A9", "/api/tools/search%20tool", "/api/tools/a@b:c" })
    void routesACanonicalPathWhoseEscapesAreNeededUnchanged(String rawPath) throws Exception {
        client.get().uri(URI.create("http://127.0.0.1:" + port + rawPath))
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY)
            .exchange()
            .expectStatus().isOk();
        assertThat(backend.takeReceived().path()).isEqualTo(URI.create(rawPath).getPath());
    }
}
