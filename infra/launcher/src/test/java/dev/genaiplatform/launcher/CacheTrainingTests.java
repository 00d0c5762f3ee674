package dev.genaiplatform.launcher;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The requests that teach the ahead-of-time caches the request path, against a stand-in gateway. */
class CacheTrainingTests {

    /** One request as the stand-in gateway saw it. */
    record Seen(String authorization, String cacheControl, String body) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger refuseEvery = new AtomicInteger(Integer.MAX_VALUE);
    private final HttpServer gateway;

    CacheTrainingTests() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/v1/chat/completions", exchange -> {
            seen.add(new Seen(exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Cache-Control"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            int status = seen.size() % refuseEvery.get() == 0 ? 429 : 200;
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        gateway.start();
    }

    @AfterEach
    void stopGateway() {
        gateway.stop(0);
    }

    private CacheTraining training() {
        return new CacheTraining(gateway.getAddress().getPort(), "demo-key");
    }

    @Test
    void sendsMostlyMissesThroughTheWholePipelineWithSomeCacheHitsAndStreamsWithTheDemoKey() throws Exception {
        CacheTraining.Result result = training().run(200, () -> false);

        assertThat(result.sent()).isEqualTo(200);
        assertThat(result.answered()).isEqualTo(200);
        assertThat(seen).hasSize(200).allSatisfy(request -> {
            assertThat(request.authorization()).isEqualTo("Bearer demo-key");
            assertThat(request.body()).contains("\"max_tokens\":" + CacheTraining.MAX_TOKENS);
        });
        assertThat(seen).filteredOn(r -> r.cacheControl() == null).hasSize(20);
        assertThat(seen).filteredOn(r -> "no-cache".equals(r.cacheControl())).hasSize(180);
        assertThat(seen).filteredOn(r -> r.body().contains("\"stream\":true")).hasSize(10)
                .allSatisfy(r -> assertThat(r.cacheControl()).isEqualTo("no-cache"));
    }

    @Test
    void countsRefusedRequestsAsSentButNotAnswered() throws Exception {
        refuseEvery.set(4);

        CacheTraining.Result result = training().run(100, () -> false);

        assertThat(result.sent()).isEqualTo(100);
        assertThat(result.answered()).isEqualTo(75);
    }

    @Test
    void stopsWhenThePlatformStops() throws Exception {
        CacheTraining.Result result = training().run(10_000, () -> seen.size() >= 30);

        assertThat(result.sent()).isLessThan(30 + CacheTraining.CLIENTS + 1);
    }

    @Test
    void endsWithWhatItHasWhenTheGatewayStopsAnswering() throws Exception {
        gateway.stop(0);

        CacheTraining.Result result = training().run(1_000, () -> false);

        assertThat(result.sent()).isZero();
    }
}
