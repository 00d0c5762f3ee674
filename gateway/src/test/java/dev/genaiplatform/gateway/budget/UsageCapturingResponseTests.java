package dev.genaiplatform.gateway.budget;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class UsageCapturingResponseTests {

    private static final String USAGE = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}\n\n";

    @Test
    void findsTheTopLevelUsageOfAWholeAnswerAndSkipsEverythingElse() {
        String answer = "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"{\\\"usage\\\":1}\"}}],"
                + "\"platform\":{\"stages\":[{\"usage\":{\"prompt_tokens\":999}}]},\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":8}}";
        UsageCapturingResponse.Usage usage = UsageCapturingResponse.parseUsage(answer.getBytes(StandardCharsets.UTF_8));
        assertThat(usage).isEqualTo(new UsageCapturingResponse.Usage(14, 8));
        assertThat(UsageCapturingResponse.parseUsage("{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(UsageCapturingResponse.parseUsage("not json".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(UsageCapturingResponse.parseUsage("[1]".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void aUsageChunkSplitAcrossTwoReadsIsStillRecognisedAndKeptFromTheClient() {
        String token = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n";
        String whole = token + USAGE + "data: [DONE]\n\n";
        int split = token.length() + USAGE.length() - 1; // the read ends between the usage chunk's two newlines
        MockServerHttpResponse client = new MockServerHttpResponse();
        UsageCapturingResponse response = new UsageCapturingResponse(client, true, true);

        response.writeAndFlushWith(Flux.just(Flux.just(buffer(whole.substring(0, split))),
                Flux.just(buffer(whole.substring(split))))).block();

        assertThat(client.getBodyAsString().block()).isEqualTo(token + "data: [DONE]\n\n");
        assertThat(response.usage()).isEqualTo(new UsageCapturingResponse.Usage(9, 2));
    }

    @Test
    void tokenEventsPassUnchangedWhenTheClientAskedForUsage() {
        List<String> events = List.of("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n", USAGE, "data: [DONE]\n\n");
        MockServerHttpResponse client = new MockServerHttpResponse();
        UsageCapturingResponse response = new UsageCapturingResponse(client, true, false);

        response.writeAndFlushWith(Flux.fromIterable(events).map(event -> Flux.just(buffer(event)))).block();

        assertThat(client.getBodyAsString().block()).isEqualTo(String.join("", events));
        assertThat(response.usage()).isEqualTo(new UsageCapturingResponse.Usage(9, 2));
    }

    private static DataBuffer buffer(String text) {
        return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
