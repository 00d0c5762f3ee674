package dev.genaiplatform.gateway.bench;

import java.io.IOException;
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

/**
 * Not a test: the {@code stages} phase of {@link GatewayBenchmark}. Sequential chat completions (one client, a
 * kept-alive connection, the gateways taken in turn request by request), each put on one time line from the client's
 * clock, the gateway's {@link StageProbes} notes and the upstream's ({@value #UPSTREAM_HEADER}); all three read the
 * same monotonic clock. Reported per gateway: p50 and p90 of every step between two consecutive notes, so the steps'
 * p50s add up to roughly the whole request's.
 */
final class StagesPhase {

    static final String UPSTREAM_HEADER = "X-Bench-Upstream";

    /** The notes in the order a request passes them. */
    private static final List<String> ORDER = List.of("client-send", "enter", "key", "ratelimit", "ratelimited", "routed",
            "validation", "validated", "budget", "token", "signed", "routing", "upstream-in", "upstream-out", "commit",
            "client-received");

    private StagesPhase() {
    }

    static void run(HttpClient client, Map<String, String> gateways, int warmUp, int requests) throws Exception {
        for (String url : gateways.values()) {
            for (int i = 0; i < warmUp; i++) {
                notes(client, url, new LinkedHashMap<>());
            }
        }
        Map<String, Map<String, List<Long>>> steps = new LinkedHashMap<>();
        gateways.keySet().forEach(label -> steps.put(label, new LinkedHashMap<>()));
        Map<String, Map<String, Integer>> threadPaths = new LinkedHashMap<>();
        gateways.keySet().forEach(label -> threadPaths.put(label, new java.util.TreeMap<>()));
        for (int i = 0; i < requests; i++) {
            for (Map.Entry<String, String> gateway : gateways.entrySet()) {
                Map<String, String> threads = new LinkedHashMap<>();
                Map<String, Long> notes = notes(client, gateway.getValue(), threads);
                if (!threads.isEmpty()) {
                    threadPaths.get(gateway.getKey()).merge(threadPath(threads), 1, Integer::sum);
                }
                String previous = null;
                for (String name : ORDER) {
                    if (!notes.containsKey(name)) {
                        continue; // a jar without the probes: only the client's and the upstream's notes
                    }
                    if (previous != null) {
                        steps.get(gateway.getKey()).computeIfAbsent(previous + " -> " + name, s -> new ArrayList<>())
                            .add(notes.get(name) - notes.get(previous));
                    }
                    previous = name;
                }
                steps.get(gateway.getKey()).computeIfAbsent("whole request", s -> new ArrayList<>())
                    .add(notes.get("client-received") - notes.get("client-send"));
            }
        }
        threadPaths.forEach((label, paths) -> paths.entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(3)
            .forEach(path -> System.out.printf(Locale.ROOT, "threads, %s: %d of %d requests: %s%n", label, path.getValue(),
                    requests, path.getKey())));
        steps.forEach((label, byStep) -> {
            System.out.printf(Locale.ROOT, "stages, %s (%d sequential chat completions, µs):%n", label, requests);
            byStep.forEach((step, took) -> {
                long[] times = took.stream().mapToLong(Long::longValue).toArray();
                System.out.printf(Locale.ROOT, "  %-28s p50 %8.1f   p90 %8.1f%n", step,
                        GatewayBenchmark.pct(times, 50) / 1e3, GatewayBenchmark.pct(times, 90) / 1e3);
            });
        });
    }

    /**
     * The threads a request ran on between the first probe and the commit, as thread groups ({@code
     * reactor-http-epoll}, {@code lettuce-epollEventLoop}) with the probes each one ran, and how many hand-overs from
     * one thread to another there were: {@code 3 hand-overs: reactor-http-epoll[enter..ratelimit] -> ...}.
     */
    private static String threadPath(Map<String, String> threads) {
        StringBuilder path = new StringBuilder();
        String previous = null;
        String first = null;
        String last = null;
        int handOvers = 0;
        for (Map.Entry<String, String> note : threads.entrySet()) {
            if (!note.getValue().equals(previous)) {
                if (previous != null) {
                    path.append(first.equals(last) ? "[" + first + "]" : "[" + first + ".." + last + "]").append(" -> ");
                    handOvers++;
                }
                path.append(note.getValue().replaceAll("-\\d+$", ""));
                first = note.getKey();
                previous = note.getValue();
            }
            last = note.getKey();
        }
        path.append(first.equals(last) ? "[" + first + "]" : "[" + first + ".." + last + "]");
        return handOvers + " hand-overs: " + path;
    }

    private static Map<String, Long> notes(HttpClient client, String url, Map<String, String> threads)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer bench-key").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(GatewayBenchmark.BODY)).build();
        Map<String, Long> notes = new LinkedHashMap<>();
        notes.put("client-send", System.nanoTime());
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        notes.put("client-received", System.nanoTime());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        response.headers().firstValue(StageProbes.THREADS_HEADER).ifPresent(value -> {
            for (String note : value.split(";")) {
                String[] nameAndThread = note.split("=", 2);
                threads.put(nameAndThread[0], nameAndThread[1]);
            }
        });
        for (String header : List.of(StageProbes.HEADER, UPSTREAM_HEADER)) {
            response.headers().firstValue(header).ifPresent(value -> {
                for (String note : value.split(";")) {
                    String[] nameAndTime = note.split("=", 2);
                    notes.put(nameAndTime[0], Long.parseLong(nameAndTime[1]));
                }
            });
        }
        return notes;
    }
}
