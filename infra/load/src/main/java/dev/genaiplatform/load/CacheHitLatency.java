package dev.genaiplatform.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * What a cached answer costs through the front door: the same chat request sent again and again through the gateway
 * on one kept-alive connection, each answer checked to be a cache hit ({@code X-Platform-Cache: hit}), with the
 * gateway's cheapest authenticated call ({@code GET /v1/models}, no backend) measured alternately as the floor.
 * Run against a platform on this machine:
 *
 * <pre>java infra/load/src/main/java/dev/genaiplatform/load/CacheHitLatency.java [requests=2000] [gateway-url]</pre>
 *
 * A single-file program (no build). The API key comes from {@code API_KEY} (default: the demo key of the local run).
 */
public final class CacheHitLatency {

    private static final String QUESTION = """
            {"model":"sim-small","messages":[{"role":"user","content":"What does the exact cache key contain?"}]}""";

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? parsePositive(args[0]) : 2000;
        String gateway = args.length > 1 ? args[1] : "http://127.0.0.1:8080";
        String key = System.getenv().getOrDefault("API_KEY", "demo-local-key");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest chat = HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(QUESTION)).build();
        HttpRequest models = HttpRequest.newBuilder(URI.create(gateway + "/v1/models"))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(30)).GET().build();

        HttpResponse<String> first = client.send(chat, HttpResponse.BodyHandlers.ofString());
        if (first.statusCode() != 200) {
            System.err.println("the first request answered " + first.statusCode() + ": " + first.body());
            System.exit(1);
        }
        int warmUp = Math.min(500, requests);
        for (int i = 0; i < warmUp; i++) {
            client.send(chat, HttpResponse.BodyHandlers.discarding());
            client.send(models, HttpResponse.BodyHandlers.discarding());
        }

        double[] hits = new double[requests];
        double[] floor = new double[requests];
        int notHits = 0;
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            HttpResponse<String> answer = client.send(chat, HttpResponse.BodyHandlers.ofString());
            hits[i] = (System.nanoTime() - start) / 1e6;
            if (answer.statusCode() != 200 || !"hit".equals(answer.headers().firstValue("X-Platform-Cache").orElse(""))) {
                notHits++;
            }
            start = System.nanoTime();
            client.send(models, HttpResponse.BodyHandlers.discarding());
            floor[i] = (System.nanoTime() - start) / 1e6;
        }
        System.out.printf("cache hit through the gateway (%d requests, %d not a hit): %s%n", requests, notHits,
                summary(hits));
        System.out.printf("GET /v1/models through the gateway (the floor: authentication, no backend): %s%n",
                summary(floor));
    }

    private static String summary(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms", at(sorted, 50), at(sorted, 90),
                at(sorted, 99), sorted[sorted.length - 1]);
    }

    private static double at(double[] sorted, int percentile) {
        return sorted[Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }

    private static int parsePositive(String text) {
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        }
        catch (NumberFormatException notANumber) {
            // falls through to the message below
        }
        System.err.println("requests must be a whole number above 0, not '" + text + "'");
        System.exit(2);
        return 0;
    }
}
