package dev.genaiplatform.launcher;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker compose up} brings the whole platform (the images built from the packaged jars, Kafka with
 * SASL, Redis and PostgreSQL with passwords generated at first start, the collector, Jaeger, Prometheus,
 * Grafana) and a chat completion goes through the gateway. Skipped where no Docker engine exists (the
 * build machines): the same behaviours are covered without Docker by the launcher's end-to-end tests.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeSmokeIT {

    private static final String DEMO_KEY = "compose-smoke-key";

    @Container
    static final ComposeContainer PLATFORM = new ComposeContainer(new File("../docker/compose.yaml"))
            .withRemoveVolumes(true)
            .withBuild(true)
            .withEnv("PLATFORM_DEMO_API_KEY", DEMO_KEY)
            .withExposedService("gateway", 8080, Wait.forListeningPort().withStartupTimeout(Duration.ofMinutes(10)));

    @Test
    void aChatCompletionGoesThroughTheGatewayAndAnAnonymousOneDoesNot() throws Exception {
        String base = "http://" + PLATFORM.getServiceHost("gateway", 8080) + ":" + PLATFORM.getServicePort("gateway", 8080);
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"How does retrieval rank passages?\"}]}";

        HttpResponse<String> answered = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + DEMO_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(answered.body()).contains("\"choices\"");
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }
}
