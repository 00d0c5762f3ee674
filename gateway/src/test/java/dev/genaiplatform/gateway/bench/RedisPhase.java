package dev.genaiplatform.gateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test: the {@code redis} phase of {@link GatewayBenchmark}. What one request costs in Redis, counted on the
 * benchmark's private Redis with {@code MONITOR} ({@link RedisMonitor}): the gateways take turns (so every command
 * seen belongs to the one being asked), each sending sequential chat completions and then {@code GET /v1/models}.
 * Reported per gateway and kind of request: round trips (commands a client sent) and the commands the scripts ran,
 * per request, each by name.
 */
final class RedisPhase {

    private RedisPhase() {
    }

    static void run(HttpClient client, Map<String, String> gateways, int redisPort, int rounds, int requests)
            throws Exception {
        try (RedisMonitor monitor = new RedisMonitor(redisPort)) {
            for (int round = 0; round < rounds; round++) {
                for (Map.Entry<String, String> gateway : gateways.entrySet()) {
                    String chat = gateway.getValue();
                    String models = chat.replace("/v1/chat/completions", "/v1/models");
                    count(monitor, "redis, " + gateway.getKey() + ", chat completion", requests, () -> GatewayBenchmark.once(client, chat));
                    count(monitor, "redis, " + gateway.getKey() + ", GET /v1/models", requests, () -> models(client, models));
                }
            }
        }
    }

    private interface Request {
        void send() throws Exception;
    }

    private static void count(RedisMonitor monitor, String label, int requests, Request request) throws Exception {
        Thread.sleep(300); // the last settlement of the one before
        monitor.take();
        for (int i = 0; i < requests; i++) {
            request.send();
        }
        Thread.sleep(300); // settlements run after the answer
        List<RedisMonitor.Command> seen = monitor.take();
        long roundTrips = seen.stream().filter(RedisMonitor.Command::fromClient).count();
        StringBuilder byName = new StringBuilder();
        RedisMonitor.count(seen).forEach((name, count) -> byName.append(String.format(Locale.ROOT, " %s %.2f",
                name, count / (double) requests)));
        System.out.printf(Locale.ROOT, "%s: %.2f round trips, %.2f commands in scripts per request (%d requests):%s%n",
                label, roundTrips / (double) requests, (seen.size() - roundTrips) / (double) requests, requests, byName);
    }

    private static void models(HttpClient client, String url) throws Exception {
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer bench-key").GET().build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
    }
}
