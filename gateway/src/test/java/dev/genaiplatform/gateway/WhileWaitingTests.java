package dev.genaiplatform.gateway;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class WhileWaitingTests {

    @Test
    void runsOfferedWorkOnceAndOnlyWhenAsked() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v1/chat/completions"));
        AtomicInteger runs = new AtomicInteger();

        WhileWaiting.offer(exchange, runs::incrementAndGet);
        assertThat(runs).hasValue(0); // offered, not done: a request refused before the wait never does it

        WhileWaiting.run(exchange);
        WhileWaiting.run(exchange);
        assertThat(runs).hasValue(1);
    }

    @Test
    void waitingWithNothingOfferedDoesNothing() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1/models"));

        java.util.Map<String, Object> before = new java.util.HashMap<>(exchange.getAttributes());

        WhileWaiting.run(exchange);

        assertThat(exchange.getAttributes()).isEqualTo(before);
    }
}
