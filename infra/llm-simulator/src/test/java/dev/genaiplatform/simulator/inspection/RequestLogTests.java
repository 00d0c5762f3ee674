package dev.genaiplatform.simulator.inspection;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RequestLogTests {

    @Test
    void keepsTheMostRecentBodiesOldestFirstAsAJsonArray() {
        RequestLog log = new RequestLog(2, 1_000);
        log.record(bytes("{\"n\":1}"));
        log.record(bytes("{\"n\":2}"));
        log.record(bytes("{\"n\": 3}"));

        assertThat(text(log)).isEqualTo("[{\"n\":2},{\"n\": 3}]");
    }

    @Test
    void dropsTheOldestBodiesWhenTheSizeBudgetIsSpent() {
        RequestLog log = new RequestLog(10, 20);
        log.record(bytes("{\"a\":\"0123456\"}"));
        log.record(bytes("{\"b\":1}"));
        log.record(bytes("{\"c\":\"this body is larger than the whole budget\"}"));

        assertThat(text(log)).isEqualTo("[{\"b\":1}]");
    }

    @Test
    void keepsNothingWithCapacityZero() {
        RequestLog log = new RequestLog(0, 1_000);
        log.record(bytes("{\"secret\":\"prompt\"}"));

        assertThat(text(log)).isEqualTo("[]");
    }

    @Test
    void forgetsEverythingWhenCleared() {
        RequestLog log = new RequestLog(5, 1_000);
        log.record(bytes("{}"));
        log.clear();

        assertThat(text(log)).isEqualTo("[]");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(RequestLog log) {
        return new String(log.asJsonArray(), StandardCharsets.UTF_8);
    }
}
