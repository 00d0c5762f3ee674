package dev.genaiplatform.gateway;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import dev.genaiplatform.gateway.server.PerLoopRedisConnections;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis connection of each server event loop ({@link PerLoopRedisConnections}) on a Redis of the test's own that
 * is down when the gateway starts, comes up, goes away and comes back: the start never waits for it, a request never
 * fails for it (fail-open, as with the shared connection), and once Redis is there the loops' own connections are
 * made in the background and carry the requests' Redis calls.
 */
class PerLoopRedisIT extends GatewayTestSupport {

    private static final int REDIS_PORT = TestRedis.freePort();

    private static final String SMALL_CHAT = "{\"model\":\"sim-small\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private static RedisServer redis;

    private static SecondGateway gateway;

    /** This context's own broker; the bootstrap-servers system property belongs to whichever context started last. */
    @Autowired
    EmbeddedKafkaBroker broker;

    @AfterAll
    static void stopAll() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    void startsWithRedisDownAnswersFailOpenAndServesFromTheLoopsOwnConnectionsOnceRedisIsThere() throws IOException {
        gateway = new SecondGateway(REDIS_PORT, broker.getBrokersAsString());
        PerLoopRedisConnections connections = gateway.bean(PerLoopRedisConnections.class);
        WebTestClient http = gateway.client();

        // Redis down from the start: the gateway started, and answers unbudgeted, saying so
        assertThat(connections.connectedLoops()).isZero();
        chat(http).expectStatus().isOk().expectHeader().valueEquals("X-Platform-Budget-Warning", "budget-unavailable");

        redis = startRedis();
        assertThat(connections.loops()).isPositive();
        await().atMost(Duration.ofSeconds(30)).until(() -> connections.connectedLoops() == connections.loops());
        assertBudgetedFromTheLoopsOwnConnections(http);

        // Redis restarted: fail-open while it is away, the same connections carry the calls once it is back
        redis.stop();
        chat(http).expectStatus().isOk().expectHeader().valueEquals("X-Platform-Budget-Warning", "budget-unavailable");
        redis = startRedis();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(
                () -> assertBudgetedFromTheLoopsOwnConnections(http));
        assertThat(connections.connectedLoops()).isEqualTo(connections.loops());
    }

    /**
     * Budgeted answers, and Redis's own list of its clients names a loop's connection ({@code gateway-loop-<n>}) as one
     * whose last command was a script (the chat completion's reservation or its reconciliation).
     */
    private void assertBudgetedFromTheLoopsOwnConnections(WebTestClient http) {
        for (int i = 0; i < 8; i++) {
            chat(http).expectStatus().isOk().expectHeader().doesNotExist("X-Platform-Budget-Warning")
                .expectHeader().exists("x-ratelimit-remaining-tokens");
        }
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + REDIS_PORT);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> clients = connection.sync().clientList().lines().toList();
            assertThat(clients).as("CLIENT LIST").anySatisfy(line -> assertThat(line)
                .containsPattern(" name=gateway-loop-\\d ").containsPattern(" cmd=eval(sha)? "));
        }
        finally {
            client.shutdown();
        }
    }

    private static WebTestClient.ResponseSpec chat(WebTestClient http) {
        return http.post().uri("/v1/chat/completions").header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY)
            .contentType(MediaType.APPLICATION_JSON).bodyValue(SMALL_CHAT).exchange();
    }

    private static RedisServer startRedis() {
        return TestRedis.startOn(REDIS_PORT);
    }
}
