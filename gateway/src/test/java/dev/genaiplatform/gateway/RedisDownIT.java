package dev.genaiplatform.gateway;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import redis.embedded.RedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The written policy for Redis going away, under load: rate limit and budget fail open, every answer admitted
 * without a budget says so ({@code X-Platform-Budget-Warning: budget-unavailable}), no 5xx, and budgeting resumes
 * on its own when Redis comes back on the same address. A gateway and a Redis of their own, since this test stops
 * it (the shared context provides PostgreSQL, the broker and the backend).
 */
class RedisDownIT extends GatewayTestSupport {

    private static final int REDIS_PORT = TestRedis.freePort();

    /** A small reservation (about 20 tokens), so the minute budget is no limit here. */
    private static final String SMALL_CHAT = "{\"model\":\"sim-small\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private static RedisServer redis = start();

    private static SecondGateway gateway;

    /** This context's own broker; the bootstrap-servers system property belongs to whichever context started last. */
    @Autowired
    org.springframework.kafka.test.EmbeddedKafkaBroker broker;

    @AfterAll
    static void stopAll() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        redis.stop();
    }

    @Test
    void keepsAnsweringWithoutA5xxWhileRedisIsDownAndRecoversWhenItReturns() throws Exception {
        gateway = new SecondGateway(REDIS_PORT, broker.getBrokersAsString());
        WebClient http = WebClient.create("http://127.0.0.1:" + gateway.port());
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> warnings = new ConcurrentHashMap<>();
        java.util.concurrent.CountDownLatch warmedUp = new java.util.concurrent.CountDownLatch(100);
        Flux<Integer> load = Flux.range(0, 600).flatMap(i -> http.post().uri("/v1/chat/completions")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY).contentType(MediaType.APPLICATION_JSON)
            .bodyValue(SMALL_CHAT)
            .exchangeToMono(response -> {
                warmedUp.countDown();
                statuses.computeIfAbsent(response.statusCode().value(), s -> new AtomicInteger()).incrementAndGet();
                String warning = response.headers().asHttpHeaders().getFirst("X-Platform-Budget-Warning");
                warnings.computeIfAbsent(String.valueOf(warning), w -> new AtomicInteger()).incrementAndGet();
                return response.releaseBody().thenReturn(i);
            })
            .delayElement(Duration.ofMillis(5)), 8);

        // Redis goes away once 100 answers are in, while the rest are still coming
        Thread stopper = Thread.ofVirtual().start(() -> {
            try {
                warmedUp.await();
                redis.stop();
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        load.blockLast(Duration.ofMinutes(3));
        stopper.join();

        System.out.printf("Redis stopped under load: statuses %s, budget warnings %s%n", statuses, warnings);
        assertThat(statuses.keySet()).allSatisfy(status -> assertThat(status).isLessThan(500));
        assertThat(warnings).containsKey("budget-unavailable");

        redis = start(); // same port: Lettuce reconnects by itself
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpHeaders headers = http.post().uri("/v1/chat/completions")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(SMALL_CHAT).exchangeToMono(response -> Mono.just(response.headers().asHttpHeaders()))
                .block(Duration.ofSeconds(20));
            return headers.getFirst("X-Platform-Budget-Warning") == null && headers.getFirst("x-ratelimit-remaining-tokens") != null;
        });
        backend.reset();
    }

    private static RedisServer start() {
        return TestRedis.startOn(REDIS_PORT);
    }
}
