package dev.genaiplatform.guardrails.moderation;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The optional hosted endpoint, against a local server speaking the OpenAI moderation shape. */
class HostedModerationClientTests {

    private HttpServer server;

    private URI serve(int status, String body, AtomicReference<String> received) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/moderations", exchange -> {
            received.set(exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/moderations");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void mapsProviderCategoriesToOursTakingTheHigherScore() throws IOException {
        var received = new AtomicReference<String>();
        URI endpoint = serve(200, """
                {"id":"m1","results":[{"flagged":true,"category_scores":{"violence":0.2,"harassment/threatening":0.91,
                "self-harm/intent":0.05,"hate":0.01,"sexual/minors":0.0,"illicit":0.3}}]}""", received);

        var scores = new HostedModerationClient(endpoint, "omni-moderation-latest", "k-123", Duration.ofSeconds(2))
                .score("some text");

        assertThat(scores).containsEntry(ModerationCategory.VIOLENCE, 0.91)
                .containsEntry(ModerationCategory.ILLEGAL_INSTRUCTIONS, 0.3);
        assertThat(received.get()).startsWith("Bearer k-123 ").contains("\"input\":\"some text\"")
                .contains("\"model\":\"omni-moderation-latest\"");
    }

    @Test
    void aFailingEndpointYieldsNoScoresAndTheLocalChecksStillDecide() throws IOException {
        URI endpoint = serve(503, "{\"error\":\"down\"}", new AtomicReference<>());
        var hosted = new HostedModerationClient(endpoint, null, null, Duration.ofSeconds(2));

        assertThat(hosted.score("anything")).isEmpty();
        assertThat(new ModerationDetector(null, hosted).assess("I want to kill myself").flagged(0.5))
                .containsExactly(ModerationCategory.SELF_HARM);
    }

    @Test
    void anEndpointScoreAloneCanFlagWhatTheRulesMiss() throws IOException {
        URI endpoint = serve(200, "{\"results\":[{\"category_scores\":{\"hate\":0.97}}]}", new AtomicReference<>());
        var detector = new ModerationDetector(null, new HostedModerationClient(endpoint, null, null, Duration.ofSeconds(2)));

        assertThat(detector.assess("a paraphrase no rule knows").flagged(0.5))
                .containsExactly(ModerationCategory.HATE_HARASSMENT);
    }

    @Test
    void anUnreachableEndpointYieldsNoScores() {
        var hosted = new HostedModerationClient(URI.create("http://127.0.0.1:9/v1/moderations"), null, null,
                Duration.ofMillis(500));

        assertThat(hosted.score("anything")).isEmpty();
    }
}
