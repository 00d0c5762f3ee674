package dev.genaiplatform.gateway.bench;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;

/**
 * The streaming half of {@link GatewayBenchmark}: how much the gateway adds to each token of a streamed answer.
 * The upstream writes each token event with the time it was written ({@code System.nanoTime()} of this JVM, which
 * the client shares), so the client reads, per token, how long it took to arrive: directly, and through a gateway.
 * The difference is what the gateway adds per token (parsing each event for usage, the proxy's two hops). Streams
 * run {@code concurrency} at a time; every one must end with its {@code [DONE]}, or it counts as failed.
 */
final class StreamingPhase {

    /** Tokens per stream ({@code -Dbench.tokens}, default 20), told to the upstream in a header. */
    static final int TOKENS = Integer.getInteger("bench.tokens", 20);

    /** Milliseconds between two tokens of a stream ({@code -Dbench.token-interval}, default 20). */
    static final int INTERVAL_MILLIS = Integer.getInteger("bench.token-interval", 20);

    private static final String TOKENS_HEADER = "X-Bench-Tokens";

    private static final String INTERVAL_HEADER = "X-Bench-Token-Interval";

    private static final String BODY = "{\"model\":\"sim-small\",\"stream\":true,\"max_tokens\":64,\"messages\":"
            + "[{\"role\":\"user\",\"content\":\"What is retrieval-augmented generation?\"}]}";

    private StreamingPhase() {
    }

    /** The upstream's answer to a streamed request: TOKENS events INTERVAL_MILLIS apart, usage, [DONE]. */
    static void stream(HttpExchange exchange) throws java.io.IOException {
        int tokens = Integer.parseInt(exchange.getRequestHeaders().getFirst(TOKENS_HEADER));
        int interval = Integer.parseInt(exchange.getRequestHeaders().getFirst(INTERVAL_HEADER));
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < tokens; i++) {
                Thread.sleep(interval);
                out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"token \"}}],\"t\":" + System.nanoTime()
                        + "}\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.write(("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":" + tokens
                    + ",\"total_tokens\":" + (14 + tokens) + "}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Per-token delivery times (ns) of {@code streams} streams, {@code concurrency} at a time; failures counted. */
    static Result run(String url, int streams, int concurrency) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ConcurrentLinkedQueue<Long> delays = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(Thread.ofVirtual().start(() -> {
                while (next.getAndIncrement() < streams) {
                    if (!once(client, url, delays)) {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return new Result(delays.stream().mapToLong(Long::longValue).sorted().toArray(), failed.get());
    }

    /** One stream; a stream not finished within 60 s plus its tokens' time counts as failed (it never blocks the run). */
    private static boolean once(HttpClient client, String url, ConcurrentLinkedQueue<Long> delays) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60).plusMillis((long) TOKENS * INTERVAL_MILLIS))
            .header("Authorization", "Bearer bench-key").header("Content-Type", "application/json")
            .header(TOKENS_HEADER, Integer.toString(TOKENS)).header(INTERVAL_HEADER, Integer.toString(INTERVAL_MILLIS))
            .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
        AtomicInteger tokens = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        try {
            HttpResponse<Void> response = client.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(
                    new Flow.Subscriber<String>() {
                        @Override
                        public void onSubscribe(Flow.Subscription subscription) {
                            subscription.request(Long.MAX_VALUE);
                        }

                        @Override
                        public void onNext(String line) {
                            int at = line.indexOf("\"t\":");
                            if (at >= 0) {
                                delays.add(System.nanoTime() - Long.parseLong(line.substring(at + 4, line.lastIndexOf('}'))));
                                tokens.incrementAndGet();
                            }
                            else if (line.equals("data: [DONE]")) {
                                done.set(true);
                            }
                        }

                        @Override
                        public void onError(Throwable failure) {
                        }

                        @Override
                        public void onComplete() {
                        }
                    })).get(60_000L + (long) TOKENS * INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
            return response.statusCode() == 200 && done.get() && tokens.get() == TOKENS;
        }
        catch (Exception failedOrHung) {
            return false;
        }
    }

    record Result(long[] delays, int failed) {

        double pct(double percentile) {
            if (delays.length == 0) {
                return Double.NaN;
            }
            return delays[(int) Math.min(delays.length - 1, Math.ceil(percentile / 100 * delays.length) - 1)] / 1e6;
        }

        String describe(String name) {
            return String.format(Locale.ROOT, "%s: %d tokens, per-token delivery p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, "
                    + "max %.3f ms, failed streams %d", name, delays.length, pct(50), pct(90), pct(99),
                    delays.length == 0 ? Double.NaN : Arrays.stream(delays).max().getAsLong() / 1e6, failed);
        }
    }
}
