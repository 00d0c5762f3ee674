package dev.genaiplatform.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The requests a start that trains the services' ahead-of-time caches sends through the gateway, so the caches learn
 * the request path. A cache keeps its training run's method profiles (JEP 515), and a JVM started from it compiles
 * sooner what that run had compiled: trained on the ~170 requests of a short session, the platform's request path
 * costs about twice its steady CPU for the first ~10,000 requests after every start; trained on ~4,000, for ~3,000
 * (README, "Wave 14: the warm-up curve"). The launcher runs it in the background once the platform is up, only when a
 * service trains; the caches are written as the platform stops.
 *
 * <p>Every request is the grounded question the load kit asks, with a short answer ({@value #MAX_TOKENS} tokens, so
 * the simulator's modelled decoding does not stretch the run): mostly misses ({@code Cache-Control: no-cache}, the
 * whole pipeline), every tenth a cache hit and every twentieth streamed, from {@value #CLIENTS} clients at once.
 */
final class CacheTraining {

    static final int CLIENTS = 4;
    static final int MAX_TOKENS = 16;
    private static final String QUESTION = "How does retrieval rank passages?";

    /** @param answered requests answered 200 ({@code sent} minus refusals, e.g. the demo tenant's rate limit) */
    record Result(int sent, int answered, Duration took) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI completions;
    private final String apiKey;

    CacheTraining(int gatewayPort, String apiKey) {
        this.completions = URI.create("http://127.0.0.1:" + gatewayPort + "/v1/chat/completions");
        this.apiKey = apiKey;
    }

    /** Sends {@code requests} requests, or fewer when {@code stopping} says so or the gateway stops answering. */
    Result run(int requests, BooleanSupplier stopping) throws InterruptedException {
        long started = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<?>> loops = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                loops.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests && !stopping.getAsBoolean(); i = next.getAndIncrement()) {
                        try {
                            int status = send(i);
                            sent.incrementAndGet();
                            if (status == 200) {
                                answered.incrementAndGet();
                            }
                        } catch (IOException gatewayGone) {
                            return; // the platform is stopping or a service died: training ends with what it has
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }));
            }
            for (Future<?> loop : loops) {
                try {
                    loop.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a training client failed", e.getCause());
                }
            }
        }
        return new Result(sent.get(), answered.get(), Duration.ofNanos(System.nanoTime() - started));
    }

    /** Request {@code i} of the run: a streamed answer, a cache hit or (mostly) a miss; returns the status. */
    int send(int i) throws IOException, InterruptedException {
        boolean streamed = i % 20 == 19;
        boolean hit = i % 10 == 4;
        String body = "{\"model\":\"sim-small\",\"max_tokens\":" + MAX_TOKENS + (streamed ? ",\"stream\":true" : "")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}";
        HttpRequest.Builder request = HttpRequest.newBuilder(completions).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!hit) {
            request.header("Cache-Control", "no-cache");
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream answer = response.body()) {
            answer.transferTo(OutputStream.nullOutputStream()); // to the end: a stream's every event is the path too
        }
        return response.statusCode();
    }
}
