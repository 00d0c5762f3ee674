package dev.genaiplatform.gateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Not a test: the {@code blocks} phase of {@link GatewayBenchmark}. The builds under comparison take turns in short
 * blocks (the order reversed every round), so slow drifts in the machine's load fall on all of them alike, and each
 * block's CPU is read from that gateway's own process. Three kinds of block, one after the other in every round:
 * sequential chat completions (one client, kept-alive connection), sequential {@code GET /v1/models} (the cheapest
 * authenticated call: key, rate limit, no backend), and chat completions from 8 clients at once (closed loop, the
 * lead's platform load shape). Reported per build: latency p50/p99 and the gateway's CPU per request.
 */
final class AlternatingBlocks {

    record Target(String label, String chatUrl, Supplier<Duration> cpu) {
    }

    private static final String[] KINDS = { "chat, sequential", "GET /v1/models, sequential", "chat, 8 clients" };

    private AlternatingBlocks() {
    }

    static void run(List<Target> targets, int rounds, int block, int blockSeconds) throws Exception {
        Map<String, Map<String, List<Long>>> times = new LinkedHashMap<>();
        Map<String, Map<String, Long>> cpuNanos = new LinkedHashMap<>();
        Map<String, Map<String, Long>> wallNanos = new LinkedHashMap<>();
        for (String kind : KINDS) {
            times.put(kind, new LinkedHashMap<>());
            cpuNanos.put(kind, new LinkedHashMap<>());
            wallNanos.put(kind, new LinkedHashMap<>());
            targets.forEach(t -> times.get(kind).put(t.label(), new ArrayList<>()));
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (Target target : targets) { // warm both paths before the first measured block
            for (int i = 0; i < block; i++) {
                models(client, target.chatUrl());
            }
        }
        for (int round = 0; round < rounds; round++) {
            List<Target> order = new ArrayList<>(targets);
            if (round % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (String kind : KINDS) {
                for (Target target : order) {
                    long cpu = target.cpu().get().toNanos();
                    long wall = System.nanoTime();
                    List<Long> into = times.get(kind).get(target.label());
                    switch (kind) {
                        case "chat, sequential" -> {
                            for (int i = 0; i < block; i++) {
                                into.add(GatewayBenchmark.once(client, target.chatUrl()));
                            }
                        }
                        case "GET /v1/models, sequential" -> {
                            for (int i = 0; i < block; i++) {
                                into.add(models(client, target.chatUrl()));
                            }
                        }
                        default -> into.addAll(concurrent(target.chatUrl(), 8, blockSeconds));
                    }
                    cpuNanos.get(kind).merge(target.label(), target.cpu().get().toNanos() - cpu, Long::sum);
                    wallNanos.get(kind).merge(target.label(), System.nanoTime() - wall, Long::sum);
                }
            }
            System.out.printf(Locale.ROOT, "blocks: round %d of %d done%n", round + 1, rounds);
        }
        System.out.printf(Locale.ROOT, "alternating blocks: %d rounds, %d requests per sequential block, %d s per 8-client block%n",
                rounds, block, blockSeconds);
        for (String kind : KINDS) {
            Double firstCpu = null;
            for (Target target : targets) {
                long[] sample = times.get(kind).get(target.label()).stream().mapToLong(Long::longValue).toArray();
                double cpu = cpuNanos.get(kind).get(target.label()) / 1e6 / sample.length;
                double rate = sample.length / (wallNanos.get(kind).get(target.label()) / 1e9);
                firstCpu = firstCpu == null ? cpu : firstCpu;
                System.out.printf(Locale.ROOT, "%-28s %-8s n=%6d  p50 %7.3f ms  p99 %8.3f ms  %7.0f requests/s  gateway CPU %.3f ms/request (%.2f x %s)%n",
                        kind, target.label(), sample.length, GatewayBenchmark.pct(sample, 50) / 1e6,
                        GatewayBenchmark.pct(sample, 99) / 1e6, rate, cpu, cpu / firstCpu, targets.get(0).label());
            }
        }
    }

    private static long models(HttpClient client, String chatUrl) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(chatUrl.replace("/v1/chat/completions", "/v1/models")))
            .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer bench-key").GET().build();
        long start = System.nanoTime();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long took = System.nanoTime() - start;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /v1/models answered " + response.statusCode());
        }
        return took;
    }

    private static List<Long> concurrent(String url, int clients, int seconds) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        List<List<Long>> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            List<Long> mine = new ArrayList<>();
            perThread.add(mine);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    while (running.get()) {
                        mine.add(GatewayBenchmark.once(client, url));
                    }
                }
                catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        Thread.sleep(seconds * 1000L);
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        return perThread.stream().flatMap(List::stream).toList();
    }
}
