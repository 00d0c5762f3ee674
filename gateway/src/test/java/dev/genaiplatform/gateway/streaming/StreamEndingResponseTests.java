package dev.genaiplatform.gateway.streaming;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

class StreamEndingResponseTests {

    @Test
    void aStreamIsFinishedByDoneOrByAnErrorEventAndByNothingElse() {
        assertThat(finishes("data: [DONE]\n\n")).isTrue();
        assertThat(finishes("data:[DONE]\n\n")).isTrue();
        assertThat(finishes("data: [DONE]")).isTrue(); // the last event of a body may lack its blank line
        assertThat(finishes("data: {\"choices\":[]}\n\ndata: [DONE]\n\n")).isTrue();
        assertThat(finishes("data: {\"error\":{\"code\":\"model_failed\"},\"platform\":{}}\n\n")).isTrue();
        assertThat(finishes("data: {\"choices\":[{\"delta\":{\"content\":\"[DONE]\"}}]}\n\n")).isFalse();
        assertThat(finishes("data: [DONE]\n\ndata: {\"choices\":[]}\n\n")).isFalse();
        assertThat(finishes(": keep-alive\n\n")).isFalse();
        assertThat(finishes("\n\n")).isFalse();
    }

    @Test
    void aFinishSplitAcrossTwoReadsOfTheProxyIsStillSeen() {
        String answer = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n";
        for (int cut = 1; cut < answer.length(); cut++) {
            assertThat(relayed(answer.substring(0, cut), answer.substring(cut))).as("cut at " + cut).isEqualTo(answer);
        }
        String broken = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n";
        assertThat(relayed(broken.substring(0, 20), broken.substring(20))).contains("upstream_failed");
    }

    /** What the client gets when the backend's body arrives in these parts and then ends. */
    private static String relayed(String... parts) {
        MockServerHttpResponse client = new MockServerHttpResponse();
        StreamEndingResponse response = new StreamEndingResponse(client, System.nanoTime() + 60_000_000_000L,
                Duration.ofSeconds(60), (type, failure) -> { });
        Flux<Flux<DataBuffer>> body = Flux.fromArray(parts).map(part -> Flux.just(
                DefaultDataBufferFactory.sharedInstance.wrap(part.getBytes(StandardCharsets.UTF_8))));
        response.writeAndFlushWith(body).block(Duration.ofSeconds(10));
        return client.getBodyAsString().block(Duration.ofSeconds(10));
    }

    @Test
    void theErrorEventIsOpenAiShaped() {
        assertThat(new String(StreamEndingResponse.BROKEN, StandardCharsets.UTF_8))
            .startsWith("data: {\"error\":{\"message\":\"The connection to the backend broke")
            .endsWith("\"type\":\"server_error\",\"param\":null,\"code\":\"upstream_failed\"}}\n\n");
        assertThat(new String(StreamEndingResponse.SILENT, StandardCharsets.UTF_8)).contains("\"code\":\"upstream_timeout\"");
    }

    private static boolean finishes(String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        return StreamEndingResponse.lastEventFinishes(bytes, 0, bytes.length);
    }
}
