package dev.genaiplatform.gateway;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a hostile or broken client does to the connection itself, sent byte by byte over raw sockets: never a
 * 5xx, never a hang (every answer ends with the server closing; {@link RawHttp#GUARD_TIMEOUT_MS} only turns a
 * hang into a failure), and a problem+json body whenever the application, not the HTTP decoder, answers. The
 * gateway here reads with a 5 s read timeout and an 8 s request timeout.
 */
class ClientAbuseIT extends GatewayTestSupport {

    private static final String BODY = VALID_CHAT;

    @Test
    void cutsAClientThatTricklesItsHeadersOneByteAtATime() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(RawHttp.GUARD_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write("GET /v1/models HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
            // a byte every 500 ms: each gap is far under every read timeout; the 5 s header deadline ends it
            for (int i = 0; i < 50; i++) {
                try {
                    out.write('a');
                    out.flush();
                    Thread.sleep(500);
                }
                catch (java.io.IOException closedByServer) {
                    break;
                }
            }
            RawHttp.Answer answer = RawHttp.read(socket);
            assertThat(answer.closed()).as("server closed the connection").isTrue();
            assertThat(answer.status()).isIn(0, 408);
        }
    }

    @Test
    void cutsAClientWhoseHeadersNeverFinish() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(RawHttp.GUARD_TIMEOUT_MS);
            socket.getOutputStream().write("GET /v1/models HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                .getBytes(StandardCharsets.ISO_8859_1));
            RawHttp.Answer answer = RawHttp.read(socket);
            assertThat(answer.closed()).as("server closed the connection").isTrue();
            assertThat(answer.status()).isIn(0, 408);
        }
    }

    @Test
    void cutsAClientWhoseBodyStopsHalfWayWith408OrAClose() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(RawHttp.GUARD_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + DEMO_KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + BODY.length() + "\r\n\r\n"
                    + BODY.substring(0, 10)).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            RawHttp.Answer answer = RawHttp.read(socket);
            assertThat(answer.closed()).isTrue();
            assertThat(answer.status()).isIn(0, 408);
        }
        assertThat(backend.receivedNothing()).isTrue();
    }

    @Test
    void cutsAClientThatDripsItsBodyFasterThanTheReadTimeoutButSlowerThanTheRequestTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(RawHttp.GUARD_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + DEMO_KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            // one byte a second: each gap is under the 5 s read timeout; the 8 s request timeout ends it
            boolean cut = false;
            for (int i = 0; i < 20 && !cut; i++) {
                try {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(1000);
                }
                catch (java.io.IOException closedByServer) {
                    cut = true;
                }
            }
            RawHttp.Answer answer = RawHttp.read(socket);
            assertThat(answer.closed()).isTrue();
            assertThat(answer.status()).isIn(0, 408);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // conflicting framing: request smuggling material
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n",
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 1e3\r\n\r\n",
            // NUL and bare LF and other control characters in headers
            "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Evil: a\u0000b\r\n\r\n",
            "GET /v1/models HTTP/1.1\nHost: x\nAuthorization: Bearer demo-test-key\n\n",
            "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Evil: a\nX-Injected: 1\r\n\r\n",
            "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Evil : spaced\r\n\r\n",
            "GET /v1/models HTTP/1.1\r\nHost: x\r\n Folded: continuation\r\n\r\n",
            // methods the API does not have, and nonsense
            "FOO /v1/models HTTP/1.1\r\nHost: x\r\n\r\n",
            "TRACE /v1/models HTTP/1.1\r\nHost: x\r\n\r\n",
            "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/models HTTP/9.9\r\nHost: x\r\n\r\n",
            "GET\r\n\r\n",
            "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003 TLS hello\r\n\r\n" })
    void answersMalformedFramingWithoutA5xxOrAHang(String request) {
        RawHttp.Answer answer = RawHttp.send(port, request.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"));
        assertThat(answer.closed()).as("server closed the connection").isTrue();
        assertThat(answer.status()).as(answer.text()).isLessThan(500);
        assertProblemJsonIfTheApplicationAnswered(answer);
        assertThat(backend.receivedNothing()).isTrue();
    }

    @Test
    void refusesAnOversizedRequestLineAndOversizedHeadersWithoutA5xx() {
        RawHttp.Answer longLine = RawHttp.send(port, "GET /v1/models?q=" + "a".repeat(70_000)
                + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(longLine.closed()).isTrue();
        assertThat(longLine.status()).isIn(0, 400, 413, 414, 431);
        RawHttp.Answer bigHeaders = RawHttp.send(port, "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "b".repeat(70_000) + "\r\nConnection: close\r\n\r\n");
        assertThat(bigHeaders.closed()).isTrue();
        assertThat(bigHeaders.status()).isIn(0, 400, 413, 431);
    }

    @Test
    void answersAnUnsupportedMethodOnARouteWithAProblem() {
        client.method(org.springframework.http.HttpMethod.PATCH).uri("/v1/models")
            .header("Authorization", "Bearer " + DEMO_KEY).exchange()
            .expectStatus().value(status -> assertThat(status).isIn(404, 405))
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void capsTheStreamsOneKeyHoldsOpenAtOnce() {
        String streamed = VALID_CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"");
        Flux<String> first = chat(ACME_KEY, streamed).header(FakeBackend.BEHAVIOUR, "stream-stepwise")
            .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
            .returnResult(String.class).getResponseBody();
        StepVerifier.create(first)
            .expectNext(FakeBackend.STREAM_EVENTS.get(0))
            .then(() -> {
                // the first stream is open: a second one of the same key is refused, another key's is not
                chat(ACME_KEY, streamed).exchange().expectStatus().isEqualTo(429)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.error.code").isEqualTo("too_many_concurrent_streams");
                chat(ACME_KEY, VALID_CHAT).exchange().expectStatus().isOk();
                backend.allowNextEvent();
            })
            .expectNext(FakeBackend.STREAM_EVENTS.get(1))
            .then(backend::allowNextEvent)
            .expectNext(FakeBackend.STREAM_EVENTS.get(2))
            .expectComplete()
            .verify(Duration.ofSeconds(20));
    }

    private static void assertProblemJsonIfTheApplicationAnswered(RawHttp.Answer answer) {
        String text = answer.text().toLowerCase(java.util.Locale.ROOT);
        if (text.contains("content-type:") && text.contains("{")) {
            assertThat(text).contains("content-type: application/problem+json");
        }
    }
}
