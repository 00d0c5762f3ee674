package dev.genaiplatform.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.SseException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Never a silent truncation at the door (issue 13): a stream whose backend breaks, dies, falls silent or runs past
 * the request's deadline after tokens went out ends with an OpenAI-shaped error event and then a proper end of the
 * response, which the official OpenAI SDK raises as an error instead of taking the partial text for a whole answer.
 * Before the stream began, a dead backend stays a 502/503 problem. The stand-in backend ({@link FakeBackend})
 * sends real chat.completion.chunk events, then closes its socket without the end chunk, stalls, or never stops.
 */
class StreamEndingIT extends GatewayTestSupport {

    private static final String STREAMED_CHAT = VALID_CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"");

    /** This context's own broker; the bootstrap-servers system property belongs to whichever context started last. */
    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void aConnectionThatBreaksMidStreamEndsWithAnUpstreamFailedErrorEventAndAProperEnd() {
        StepVerifier.create(stream("stream-cut"))
            .expectNext(FakeBackend.chunk("t0 "))
            .expectNext(FakeBackend.chunk("t1 "))
            .assertNext(event -> assertThat(event)
                .contains("\"code\":\"upstream_failed\"", "\"type\":\"server_error\"", "\"message\":\"The connection to the backend broke"))
            .expectComplete() // a proper end: a connection closed without its end chunk would be an error here
            .verify(Duration.ofSeconds(20));
    }

    @Test
    void aBackendResponseThatEndsWithoutItsFinishEndsWithAnUpstreamFailedErrorEvent() {
        StepVerifier.create(stream("stream-unfinished"))
            .expectNext(FakeBackend.chunk("t0 "))
            .expectNext(FakeBackend.chunk("t1 "))
            .assertNext(event -> assertThat(event).contains("\"code\":\"upstream_failed\"", "without its finish"))
            .expectComplete()
            .verify(Duration.ofSeconds(20));
    }

    @Test
    void aStreamThatFallsSilentPastTheIdleTimeoutEndsWithAnUpstreamTimeoutErrorEvent() {
        StepVerifier.create(stream("stall"))
            .expectNext(FakeBackend.STREAM_EVENTS.get(0))
            // the idle timeout (3 s here) comes first; on a starved machine the deadline (4 s) may: the same code
            .assertNext(event -> assertThat(event).contains("\"code\":\"upstream_timeout\""))
            .expectComplete()
            .verify(Duration.ofSeconds(20));
    }

    @Test
    void aStreamStillRunningPastTheRequestsDeadlineIsEndedWithAnUpstreamTimeoutErrorEvent() {
        // a token every 200 ms for 30 s: never silent, but the deadline (3 s here) plus the grace (1 s) passes
        List<String> events = stream("stream-endless").collectList().block(Duration.ofSeconds(20));
        assertThat(events).hasSizeBetween(5, 40);
        assertThat(events.subList(0, events.size() - 1)).allSatisfy(event -> assertThat(event).contains("chat.completion.chunk"));
        assertThat(events.getLast()).contains("\"code\":\"upstream_timeout\"", "deadline passed");
    }

    @Test
    void aBackendThatHangsUpBeforeItsHeadersIsStillA502Problem() {
        chat(DEMO_KEY, STREAMED_CHAT).header(FakeBackend.BEHAVIOUR, "cut-before-headers").exchange()
            .expectStatus().isEqualTo(502)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.error.code").isEqualTo("upstream_failed");
    }

    @Test
    void theOpenAiSdkRaisesABrokenStreamAsAnErrorAfterTheTokensItGot() {
        List<String> received = new ArrayList<>();
        assertThatThrownBy(() -> readWithSdk("stream-cut", received))
            .isInstanceOfSatisfying(SseException.class, error -> {
                assertThat(error.code()).contains("upstream_failed");
                assertThat(error.type()).contains("server_error");
            });
        assertThat(received).containsExactly("t0 ", "t1 ");

        assertThatThrownBy(() -> readWithSdk("stall", new ArrayList<>()))
            .isInstanceOfSatisfying(SseException.class, error -> assertThat(error.code()).contains("upstream_timeout"));
    }

    @Test
    void theOpenAiSdkReadsAStreamThatEndsWithItsFinishToTheEnd() {
        List<String> received = new ArrayList<>();
        readWithSdk("stream-complete", received);
        assertThat(received).containsExactly("t0 ", "t1 ", "t2 ");
    }

    /**
     * The backend process stops mid-stream (its server closes every connection), through a gateway whose orchestrator
     * is that backend; then, with the backend gone, a new stream is a 503 problem before any token.
     */
    @Test
    void aBackendThatDiesMidStreamEndsTheStreamWithAnErrorEventAndADeadOneIsA503() {
        FakeBackend dying = new FakeBackend();
        try (SecondGateway gateway = new SecondGateway(broker.getBrokersAsString(), "--ORCHESTRATOR_URL=" + dying.url())) {
            Flux<String> events = gateway.client().post().uri("/v1/chat/completions")
                .header("Authorization", "Bearer " + DEMO_KEY).header(FakeBackend.BEHAVIOUR, "stream-stepwise")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(STREAMED_CHAT)
                .exchange().expectStatus().isOk().returnResult(String.class).getResponseBody();
            StepVerifier.create(events)
                .expectNext(FakeBackend.STREAM_EVENTS.get(0))
                .then(dying::close)
                .assertNext(event -> assertThat(event).contains("\"code\":\"upstream_failed\""))
                .expectComplete()
                .verify(Duration.ofSeconds(30));

            gateway.client().post().uri("/v1/chat/completions").header("Authorization", "Bearer " + DEMO_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(STREAMED_CHAT).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.error.code").isEqualTo("upstream_unavailable");
        }
        finally {
            dying.close();
        }
    }

    private Flux<String> stream(String behaviour) {
        return chat(DEMO_KEY, STREAMED_CHAT).header(FakeBackend.BEHAVIOUR, behaviour).accept(MediaType.TEXT_EVENT_STREAM)
            .exchange().expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
            .returnResult(String.class).getResponseBody();
    }

    /** Reads a streamed completion with the official SDK, collecting each chunk's content. */
    private void readWithSdk(String behaviour, List<String> contents) {
        OpenAIClient openAi = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey(DEMO_KEY)
            .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
        try {
            ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("sim-small")
                .addUserMessage("Hello").putAdditionalHeader(FakeBackend.BEHAVIOUR, behaviour).build();
            try (StreamResponse<ChatCompletionChunk> chunks = openAi.chat().completions().createStreaming(params)) {
                chunks.stream().forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(contents::add)));
            }
        }
        finally {
            openAi.close();
        }
    }
}
