package dev.genaiplatform.simulator.inspection;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The simulator as shipped: no inspection endpoint, prompts not kept, and actuator only on its own
 * management port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "SIM_TIME_TO_FIRST_TOKEN_MS=0", "SIM_INTER_TOKEN_MS=0", "MANAGEMENT_PORT=0"})
class InspectionDefaultsTests {

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;

    @Test
    void theInspectionEndpointDoesNotExistUnlessEnabled() {
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
        client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"secret prompt\"}]}")
                .exchange().expectStatus().isOk();

        client.get().uri("/sim/requests").exchange().expectStatus().isNotFound();
        client.delete().uri("/sim/requests").exchange().expectStatus().isNotFound();
    }

    @Test
    void actuatorAnswersOnTheManagementPortOnly() {
        WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).build()
                .get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build()
                .get().uri("/actuator/health/readiness").exchange().expectStatus().isNotFound();
    }
}
