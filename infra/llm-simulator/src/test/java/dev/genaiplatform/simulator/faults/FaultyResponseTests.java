package dev.genaiplatform.simulator.faults;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The wire faults on a response in memory: what reaches the wire, event by event and byte by byte. */
class FaultyResponseTests {

    private static final String BODY = "{\"id\":\"chatcmpl-1\",\"choices\":[]}";

    @Test
    void passesEverythingThroughWithoutAWireFault() {
        MockServerHttpResponse wire = new MockServerHttpResponse();
        FaultyResponse response = new FaultyResponse(wire, () -> null);
        response.setStatusCode(HttpStatus.OK);

        response.writeWith(Mono.just(buffer(BODY))).block();

        assertThat(wire.getBodyAsString().block()).isEqualTo(BODY);
    }

    @Test
    void breaksTheChosenEventOfAStreamAndSendsTheRest() {
        MockServerHttpResponse wire = new MockServerHttpResponse();
        FaultyResponse response = new FaultyResponse(wire, () -> fault(FaultKind.MALFORMED_CHUNK, 2));
        response.setStatusCode(HttpStatus.OK);
        List<String> events = List.of("data: {\"role\"}\n\n", "data: {\"a\":\"one\"}\n\n", "data: {\"a\":\"two\"}\n\n",
                "data: [DONE]\n\n");

        response.writeAndFlushWith(Flux.fromIterable(events).map(event -> Mono.just(buffer(event)))).block();

        assertThat(wire.getBodyAsString().block()).isEqualTo("data: {\"role\"}\n\ndata: {\"a\":\"one\"}\n\n"
                + "data: {\"\n\ndata: [DONE]\n\n"); // the first half of 'data: {"a":"two"}'
    }

    @Test
    void breaksTheChosenEventOfAStreamWrittenAsOneBufferPerEvent() {
        MockServerHttpResponse wire = new MockServerHttpResponse();
        FaultyResponse response = new FaultyResponse(wire, () -> fault(FaultKind.MALFORMED_CHUNK, 2));
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
        List<String> events = List.of("data: {\"role\"}\n\n", "data: {\"a\":\"one\"}\n\n", "data: {\"a\":\"two\"}\n\n",
                "data: [DONE]\n\n");

        response.writeWith(Flux.fromIterable(events).map(FaultyResponseTests::buffer)).block();

        assertThat(wire.getBodyAsString().block()).isEqualTo("data: {\"role\"}\n\ndata: {\"a\":\"one\"}\n\n"
                + "data: {\"\n\ndata: [DONE]\n\n");
    }

    @Test
    void slowTokensSendTheRoleChunkAtOnceAndHoldEveryLaterEventForTheDelay() {
        MockServerHttpResponse wire = new MockServerHttpResponse();
        FaultyResponse response = new FaultyResponse(wire, () -> fault(FaultKind.SLOW_TOKENS, 200));
        response.setStatusCode(HttpStatus.OK);
        List<String> events = List.of("data: {\"role\"}\n\n", "data: {\"a\":\"one\"}\n\n", "data: {\"a\":\"two\"}\n\n",
                "data: [DONE]\n\n");

        long start = System.nanoTime();
        response.writeAndFlushWith(Flux.fromIterable(events).map(event -> Mono.just(buffer(event)))).block();

        // a lower bound only: the three events after the role chunk each waited their 200 ms, one after another
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(wire.getBodyAsString().block()).isEqualTo(String.join("", events));
    }

    @Test
    void cutsAWholeBodyInHalfWithAMatchingContentLengthForAMalformedChunk() {
        MockServerHttpResponse wire = new MockServerHttpResponse();
        FaultyResponse response = new FaultyResponse(wire, () -> fault(FaultKind.MALFORMED_CHUNK, null));
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentLength(BODY.length());

        response.writeWith(Mono.just(buffer(BODY))).block();

        assertThat(wire.getBodyAsString().block()).isEqualTo(BODY.substring(0, BODY.length() / 2));
        assertThat(wire.getHeaders().getContentLength()).isEqualTo(BODY.length() / 2);
    }

    @Test
    void leavesAnErrorTheRequestEarnedOnItsOwnIntact() {
        MockServerHttpResponse wire = new MockServerHttpResponse();
        FaultyResponse response = new FaultyResponse(wire, () -> fault(FaultKind.STREAM_CUT, null));
        response.setStatusCode(HttpStatus.BAD_REQUEST);

        response.writeWith(Mono.just(buffer(BODY))).block();

        assertThat(wire.getBodyAsString().block()).isEqualTo(BODY);
    }

    private static ActiveFault fault(FaultKind kind, Integer parameter) {
        return new ActiveFault(new Fault(kind, parameter), "sim-small", Duration.ofSeconds(1), Duration.ofSeconds(3),
                Duration.ofMillis(500));
    }

    private static DataBuffer buffer(String text) {
        return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
