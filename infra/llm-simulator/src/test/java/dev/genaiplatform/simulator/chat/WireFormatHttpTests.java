package dev.genaiplatform.simulator.chat;

import dev.genaiplatform.simulator.SimulatorServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bytes a client receives, pinned: each {@code wire/<case>.txt} is what the simulator sent for
 * {@code wire/<case>.request.json} before Wave 10 changed how streams are written (id and creation time blanked), so
 * any change to a field, its order, the escaping or the event framing fails here.
 */
@SimulatorServerTest
class WireFormatHttpTests {

    /** A generous guard against a hang, never a speed assertion. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @ParameterizedTest
    @ValueSource(strings = {"streamed-with-usage", "streamed-cut-at-max-tokens", "streamed-tool-call"})
    void streamsTheSameBytesEventForEvent(String wireCase) throws Exception {
        HttpResponse<String> response = post(wireCase);

        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream;charset=UTF-8");
        assertThat(blank(response.body())).isEqualTo(expected(wireCase));
    }

    @Test
    void answersWithTheSameBytesWhenNotStreamed() throws Exception {
        HttpResponse<String> response = post("whole");

        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(blank(response.body())).isEqualTo(expected("whole"));
    }

    /** Two choices are served side by side, so how their tokens interleave is the scheduler's: each in its order. */
    @Test
    void streamsEveryChoiceWithTheSameEventsInTheSameOrder() throws Exception {
        List<String> events = events(blank(post("streamed-two-choices").body()));
        List<String> expected = events(expected("streamed-two-choices"));

        assertThat(events).hasSameSizeAs(expected);
        assertThat(events.subList(0, 2)).isEqualTo(expected.subList(0, 2));
        assertThat(events.subList(events.size() - 2, events.size()))
                .isEqualTo(expected.subList(expected.size() - 2, expected.size()));
        for (String choice : List.of("\"index\":0", "\"index\":1")) {
            assertThat(events.stream().filter(event -> event.contains(choice)).toList())
                    .isEqualTo(expected.stream().filter(event -> event.contains(choice)).toList());
        }
    }

    private HttpResponse<String> post(String wireCase) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Content-Type", "application/json").timeout(HANG_GUARD)
                .POST(HttpRequest.BodyPublishers.ofString(ChatCompletionsHttpTests.resource("/wire/" + wireCase + ".request.json")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response;
    }

    private static String expected(String wireCase) {
        return ChatCompletionsHttpTests.resource("/wire/" + wireCase + ".txt");
    }

    private static List<String> events(String stream) {
        assertThat(stream).endsWith("\n\n");
        return Arrays.asList(stream.split("(?<=\n\n)"));
    }

    private static String blank(String body) {
        return body.replaceAll("\"id\":\"chatcmpl-[0-9a-f]{32}\"", "\"id\":\"chatcmpl-ID\"")
                .replaceAll("\"created\":\\d+", "\"created\":0");
    }
}
