package dev.genaiplatform.gateway.streaming;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

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
    void theErrorEventIsOpenAiShaped() {
        assertThat(new String(StreamEndingResponse.BROKEN, StandardCharsets.UTF_8))
            .startsWith("data: {\"error\":{\"message\":\"The connection to the backend broke")
            .endsWith("\"type\":\"server_error\",\"param\":null,\"code\":\"upstream_failed\"}}\n\n");
        assertThat(new String(StreamEndingResponse.SILENT, StandardCharsets.UTF_8)).contains("\"code\":\"upstream_timeout\"");
    }

    private static boolean finishes(String part) {
        DataBuffer buffer = DefaultDataBufferFactory.sharedInstance.wrap(part.getBytes(StandardCharsets.UTF_8));
        return StreamEndingResponse.lastEventFinishes(buffer, buffer.readPosition(), buffer.writePosition());
    }
}
