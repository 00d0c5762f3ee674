package dev.genaiplatform.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A region failure as clients see it (issue 13 item 8): closed-loop clients send chat completions to region A's
 * gateway, a failure is injected mid-run, and each client fails over the way a client library with two regional
 * endpoints would: after a connection error, a timeout or a 502/503/504 from region A, it sends the same request
 * (same {@code Idempotency-Key}) once to region B and stays there. Nothing routes for them: no DNS, no load balancer,
 * so the numbers are what the platform and the client policy give, without a health checker's detection time.
 *
 * <p>Phases, per request by the time it started: before the failure; during (from the failure until the last client
 * had its first answer from region B); after.
 */
final class FailoverDrill {

    /** Answers that make a client try the other region; a 4xx is the client's own problem and is not retried. */
    private static final List<Integer> FAIL_OVER_ON = List.of(502, 503, 504);
    /** A client's read timeout: long enough for a cold JVM on a loaded two-core machine, short of the gateway's own. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** After the planned run, each client keeps going until region B has answered it this many times ... */
    private static final int ANSWERS_FROM_B_AFTER_FAILURE = 2;
    /** ... or until this much longer, so a region B that never answers ends the drill instead of hanging it. */
    private static final Duration GRACE = Duration.ofSeconds(120);

    /** Kills region A (or part of it); runs on the drill's own thread while the clients keep sending. */
    interface Failure {
        void inject() throws Exception;
    }

    /** One attempt that did not answer, as the client saw it: which region, what went wrong, when. */
    record FailedAttempt(String region, String what, long atNanos) {
    }

    /**
     * One request as the client's code sees it: sent at {@code startNanos}, finished at {@code endNanos} (after its
     * retry, if any), answered by {@code servedBy} ("A", "B") with {@code status}, or by nobody (null, status 0).
     */
    record Outcome(int client, long startNanos, long endNanos, String servedBy, int status,
                   List<FailedAttempt> failedAttempts, String rateLimitRemaining) {

        double millis() {
            return (endNanos - startNanos) / 1e6;
        }
    }

    /** Everything the drill saw, with the failure's time; the phases and percentiles are computed from it. */
    record Result(int clients, long startNanos, long failureNanos, long failureDoneNanos, List<Outcome> outcomes) {

        /** When each client first got an answer from region B after the failure (nanos), by client. */
        Map<Integer, Long> firstAnswerFromB() {
            Map<Integer, Long> first = new TreeMap<>();
            for (Outcome o : outcomes) {
                if ("B".equals(o.servedBy()) && o.endNanos() >= failureNanos) {
                    first.merge(o.client(), o.endNanos(), Math::min);
                }
            }
            return first;
        }

        /** The end of the "during" phase: the last client's first answer from B (or the failure, if none came). */
        long recoveredNanos() {
            return firstAnswerFromB().values().stream().mapToLong(Long::longValue).max().orElse(failureNanos);
        }

        List<Outcome> before() {
            return outcomes.stream().filter(o -> o.startNanos() < failureNanos).toList();
        }

        List<Outcome> during() {
            return outcomes.stream().filter(o -> o.startNanos() >= failureNanos && o.startNanos() < recoveredNanos())
                    .toList();
        }

        List<Outcome> after() {
            return outcomes.stream().filter(o -> o.startNanos() >= recoveredNanos()).toList();
        }

        /** Requests no region answered with a success: what the client's user saw as an error. */
        List<Outcome> unanswered() {
            return outcomes.stream().filter(o -> o.servedBy() == null).toList();
        }

        List<FailedAttempt> failedAttempts() {
            return outcomes.stream().flatMap(o -> o.failedAttempts().stream()).toList();
        }

        /** Requests region A answered after the failure was injected (in flight when it hit, or A survived). */
        long servedByAAfterFailure() {
            return outcomes.stream().filter(o -> "A".equals(o.servedBy()) && o.endNanos() > failureDoneNanos).count();
        }
    }

    private final URI regionA;
    private final URI regionB;
    private final String apiKey;
    private final String model;

    FailoverDrill(URI regionA, URI regionB, String apiKey, String model) {
        this.regionA = regionA;
        this.regionB = regionB;
        this.apiKey = apiKey;
        this.model = model;
    }

    /**
     * Runs {@code clients} clients for {@code before}, injects the failure, runs them for {@code after} more (and on,
     * up to {@link #GRACE}, until region B has answered each client {@link #ANSWERS_FROM_B_AFTER_FAILURE} times).
     */
    Result run(int clients, Duration before, Duration after, Failure failure) throws Exception {
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        // set when the failure is injected; the clients run on for `after` from then
        AtomicLong injected = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Thread.ofPlatform().name("drill-client-" + c)
                    .start(() -> clientLoop(client, injected, after, outcomes)));
        }
        Thread.sleep(before.toMillis());
        // a failure before region A has answered every client once would show nothing of "before"
        long waitUntil = System.nanoTime() + GRACE.toNanos();
        while (answeredByA(outcomes) < clients && System.nanoTime() < waitUntil) {
            Thread.sleep(100);
        }
        long injectedAt = System.nanoTime();
        injected.set(injectedAt);
        failure.inject();
        long failureDone = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        List<Outcome> sorted = new ArrayList<>(outcomes);
        sorted.sort((x, y) -> Long.compare(x.startNanos(), y.startNanos()));
        return new Result(clients, start, injectedAt, failureDone, List.copyOf(sorted));
    }

    private static long answeredByA(List<Outcome> outcomes) {
        synchronized (outcomes) {
            return outcomes.stream().filter(o -> "A".equals(o.servedBy())).map(Outcome::client).distinct().count();
        }
    }

    /** A closed loop: one request at a time, the next as soon as the last one ended, failing over once and for good. */
    private void clientLoop(int client, AtomicLong injected, Duration after, List<Outcome> outcomes) {
        // each client its own connection pool, like separate applications
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String region = "A";
        AtomicLong sequence = new AtomicLong();
        int answersFromBAfterFailure = 0;
        while (injected.get() == 0 || System.nanoTime() < injected.get() + after.toNanos()
                || (answersFromBAfterFailure < ANSWERS_FROM_B_AFTER_FAILURE
                && System.nanoTime() < injected.get() + after.toNanos() + GRACE.toNanos())) {
            String idempotencyKey = UUID.randomUUID().toString();
            String body = """
                    {"model":"%s","max_tokens":16,"messages":[{"role":"user","content":"Failover drill, client %d, request %d: say hello."}]}"""
                    .formatted(model, client, sequence.incrementAndGet());
            long t0 = System.nanoTime();
            List<FailedAttempt> failed = new ArrayList<>();
            String servedBy = null;
            int status = 0;
            String remaining = null;
            for (int attempt = 0; attempt < 2 && servedBy == null; attempt++) {
                URI base = region.equals("A") ? regionA : regionB;
                try {
                    HttpResponse<String> response = http.send(request(base, body, idempotencyKey),
                            HttpResponse.BodyHandlers.ofString());
                    status = response.statusCode();
                    if (FAIL_OVER_ON.contains(status)) {
                        failed.add(new FailedAttempt(region, "HTTP " + status, System.nanoTime()));
                    } else {
                        remaining = response.headers().firstValue("x-ratelimit-remaining-requests").orElse(null);
                        servedBy = status < 300 ? region : null;
                        break;
                    }
                } catch (IOException e) {
                    failed.add(new FailedAttempt(region, kindOf(e), System.nanoTime()));
                    status = 0;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (region.equals("B")) {
                    break;
                }
                region = "B";
            }
            long t1 = System.nanoTime();
            if ("B".equals(servedBy) && injected.get() != 0 && t1 > injected.get()) {
                answersFromBAfterFailure++;
            }
            outcomes.add(new Outcome(client, t0, t1, servedBy, status, List.copyOf(failed), remaining));
        }
    }

    private HttpRequest request(URI base, String body, String idempotencyKey) {
        return HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                // every request reaches the model: a cached answer would hide what the failover costs
                .header("Cache-Control", "no-cache")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String kindOf(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "timeout";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        return "connection closed";
    }

    /** What the clients saw, phase by phase, for a reader. */
    static void print(Result r, String failureDescription, PrintStream out) {
        out.printf("%nRegion failover drill: %d clients, closed loop, failing over on a connection error, a timeout or "
                + "502/503/504%n", r.clients());
        out.printf("  %-34s %s%n", "before the failure", phase(r.before(), r));
        out.printf("  at %.1f s: %s%n", seconds(r.failureNanos(), r), failureDescription);
        out.printf("  %-34s %s%n", "during (until every client is on B)", phase(r.during(), r));
        out.printf("  %-34s %s%n", "after", phase(r.after(), r));
        Map<String, Long> kinds = r.failedAttempts().stream()
                .collect(Collectors.groupingBy(a -> a.region() + ": " + a.what(), TreeMap::new, Collectors.counting()));
        out.printf("  failed attempts the clients retried: %d %s%n", r.failedAttempts().size(), kinds);
        out.printf("  requests no region answered (the client's user saw an error): %d%n", r.unanswered().size());
        List<String> perClient = r.firstAnswerFromB().values().stream()
                .map(t -> String.format("%.2f s", (t - r.failureNanos()) / 1e9)).toList();
        out.printf("  failover time per client (failure -> first answer from B): %s%n", perClient);
        out.printf("  rate-limit headroom (x-ratelimit-remaining-requests): last answer from A %s, first from B %s "
                + "(each region's Redis holds its own buckets)%n", lastRemaining(r, "A"), firstRemaining(r, "B"));
    }

    private static String phase(List<Outcome> outcomes, Result r) {
        if (outcomes.isEmpty()) {
            return "no request started";
        }
        List<Double> ms = outcomes.stream().filter(o -> o.servedBy() != null).map(Outcome::millis).sorted().toList();
        long byA = outcomes.stream().filter(o -> "A".equals(o.servedBy())).count();
        long byB = outcomes.stream().filter(o -> "B".equals(o.servedBy())).count();
        long failed = outcomes.stream().filter(o -> o.servedBy() == null).count();
        double from = seconds(outcomes.getFirst().startNanos(), r);
        double to = seconds(outcomes.getLast().startNanos(), r);
        return String.format("%4d requests (%.1f-%.1f s): A %d, B %d, unanswered %d; p50 %s, p99 %s, max %s",
                outcomes.size(), from, to, byA, byB, failed, pct(ms, 0.50), pct(ms, 0.99),
                ms.isEmpty() ? "-" : String.format("%.0f ms", ms.getLast()));
    }

    static String pct(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return "-";
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return String.format("%.0f ms", sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))));
    }

    private static double seconds(long nanos, Result r) {
        return (nanos - r.startNanos()) / 1e9;
    }

    private static String lastRemaining(Result r, String region) {
        return r.outcomes().stream().filter(o -> region.equals(o.servedBy()) && o.rateLimitRemaining() != null)
                .reduce((x, y) -> y.endNanos() > x.endNanos() ? y : x).map(Outcome::rateLimitRemaining).orElse("-");
    }

    private static String firstRemaining(Result r, String region) {
        return r.outcomes().stream().filter(o -> region.equals(o.servedBy()) && o.rateLimitRemaining() != null)
                .reduce((x, y) -> y.endNanos() < x.endNanos() ? y : x).map(Outcome::rateLimitRemaining).orElse("-");
    }
}
