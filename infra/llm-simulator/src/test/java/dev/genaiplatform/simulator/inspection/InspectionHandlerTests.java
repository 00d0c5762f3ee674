package dev.genaiplatform.simulator.inspection;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class InspectionHandlerTests {

    private final RequestLog log = new RequestLog(5, 1_000);
    private final InspectionHandler handler = new InspectionHandler(log);

    @Test
    void answersACallerOnLoopback() {
        ServerResponse response = handler.list(from("127.0.0.1")).block();

        assertThat(response.statusCode().value()).isEqualTo(200);
    }

    @Test
    void refusesACallerFromAnotherAddressEvenWhenEnabled() {
        log.record("{\"secret\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(handler.list(from("192.0.2.10")).block().statusCode().value()).isEqualTo(403);
        assertThat(handler.clear(from("192.0.2.10")).block().statusCode().value()).isEqualTo(403);
        assertThat(new String(log.asJsonArray(), StandardCharsets.UTF_8)).contains("secret");
    }

    @Test
    void refusesARequestWhoseRemoteAddressIsUnknown() {
        assertThat(handler.list(MockServerRequest.builder().build()).block().statusCode().value()).isEqualTo(403);
    }

    private static MockServerRequest from(String address) {
        return MockServerRequest.builder().remoteAddress(new InetSocketAddress(address, 40000)).build();
    }
}
