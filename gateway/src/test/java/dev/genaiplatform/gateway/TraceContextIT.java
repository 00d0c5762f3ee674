package dev.genaiplatform.gateway;

import java.time.Duration;
import java.util.List;

import dev.genaiplatform.contracts.http.PlatformHttpHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace id comes back on every answer (success, problem, stream, public path), is the trace the backend
 * continues, and is the gateway's own: a client's trace context is neither continued nor forwarded, so a client
 * can neither join a trace of its choosing nor switch sampling on.
 */
class TraceContextIT extends GatewayTestSupport {

    private static final String TRACE_ID = "[0-9a-f]{32}";

    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static final String CLIENT_TRACEPARENT = "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01";

    private static SecondGateway unsampled;

    @Autowired
    EmbeddedKafkaBroker broker;

    @AfterAll
    static void stop() {
        if (unsampled != null) {
            unsampled.close();
        }
    }

    @Test
    void everyAnswerCarriesTheTraceIdAndTheBackendContinuesThatTrace() throws Exception {
        EntityExchangeResult<byte[]> ok = chat(DEMO_KEY, VALID_CHAT).exchange().expectStatus().isOk()
            .expectHeader().valueMatches(PlatformHttpHeaders.TRACE_ID, TRACE_ID).expectBody().returnResult();
        String traceId = ok.getResponseHeaders().getFirst(PlatformHttpHeaders.TRACE_ID);
        String forwarded = backend.takeReceived().header("traceparent").getFirst();
        assertThat(forwarded).matches("00-" + traceId + "-[0-9a-f]{16}-01");

        chat("wrong-key", VALID_CHAT).exchange().expectStatus().isUnauthorized()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectHeader().valueMatches(PlatformHttpHeaders.TRACE_ID, TRACE_ID);
        client.get().uri("/v1/chat/%63ompletions").header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY).exchange()
            .expectStatus().isNotFound().expectHeader().valueMatches(PlatformHttpHeaders.TRACE_ID, TRACE_ID);
        chat(DEMO_KEY, "{\"model\":\"sim-small\"}").exchange().expectStatus().isBadRequest()
            .expectHeader().valueMatches(PlatformHttpHeaders.TRACE_ID, TRACE_ID);
        client.get().uri("/.well-known/jwks.json").exchange().expectStatus().isOk()
            .expectHeader().valueMatches(PlatformHttpHeaders.TRACE_ID, TRACE_ID);
        chat(DEMO_KEY, VALID_CHAT).header(FakeBackend.BEHAVIOUR, "problem").exchange().expectStatus().isEqualTo(422)
            .expectHeader().valueMatches(PlatformHttpHeaders.TRACE_ID, TRACE_ID);

        String streamed = VALID_CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"");
        var stream = chat(METERED_KEY, streamed).header(FakeBackend.BEHAVIOUR, "stream-usage")
            .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
            .expectHeader().valueMatches(PlatformHttpHeaders.TRACE_ID, TRACE_ID)
            .returnResult(String.class);
        assertThat(stream.getResponseBody().collectList().block(Duration.ofSeconds(20))).contains("[DONE]");
    }

    @Test
    void aClientsTraceContextIsReplacedNotContinuedNorForwarded() throws Exception {
        String traceId = chat(DEMO_KEY, VALID_CHAT).header("traceparent", CLIENT_TRACEPARENT)
            .header("tracestate", "vendor=client").header("baggage", "tenant=acme,admin=true")
            .header("b3", CLIENT_TRACE + "-00f067aa0ba902b7-1").header("X-B3-TraceId", CLIENT_TRACE).header("X-B3-Sampled", "1")
            .exchange().expectStatus().isOk().returnResult(String.class).getResponseHeaders()
            .getFirst(PlatformHttpHeaders.TRACE_ID);
        assertThat(traceId).matches(TRACE_ID).isNotEqualTo(CLIENT_TRACE);

        FakeBackend.Received received = backend.takeReceived();
        assertThat(received.header("traceparent")).singleElement().satisfies(traceparent ->
            assertThat(traceparent).startsWith("00-" + traceId + "-").doesNotContain(CLIENT_TRACE));
        for (String clientOnly : List.of("tracestate", "baggage", "b3", "X-B3-TraceId", "X-B3-Sampled")) {
            assertThat(received.header(clientOnly)).as(clientOnly).noneMatch(value -> value.contains("client")
                    || value.contains("admin") || value.contains(CLIENT_TRACE));
        }
    }

    @Test
    void aClientCannotSwitchSamplingOn() throws Exception {
        unsampled = new SecondGateway(broker.getBrokersAsString(), "--management.tracing.sampling.probability=0.0");
        String traceId = unsampled.client().post().uri("/v1/chat/completions")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY).header("traceparent", CLIENT_TRACEPARENT)
            .contentType(MediaType.APPLICATION_JSON).bodyValue(VALID_CHAT).exchange().expectStatus().isOk()
            .returnResult(String.class).getResponseHeaders().getFirst(PlatformHttpHeaders.TRACE_ID);
        assertThat(traceId).matches(TRACE_ID).isNotEqualTo(CLIENT_TRACE);
        // the trace id still comes back (logs carry it), but nothing downstream is told to record the request
        assertThat(backend.takeReceived().header("traceparent")).singleElement()
            .satisfies(traceparent -> assertThat(traceparent).isEqualTo("00-" + traceId + traceparent.substring(35, 52) + "-00"));
    }
}
