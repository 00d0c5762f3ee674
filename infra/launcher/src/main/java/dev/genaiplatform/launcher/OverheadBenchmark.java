package dev.genaiplatform.launcher;

import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./platform.sh bench [requests]}: what the platform costs on top of the model.
 *
 * <p>Starts a fresh platform with the simulator's delays at zero (cold start time and memory are
 * measured on the way), then sends the same non-streaming request sequentially: first straight to the
 * simulator, then through the gateway. The difference is the platform's overhead; the orchestrator's
 * {@code Server-Timing} header splits it by hop. Sequential on purpose: this measures latency, not
 * throughput (the load harness does that).
 */
final class OverheadBenchmark {

    private static final String QUESTION = "How does retrieval rank passages?";
    private static final Pattern TIMING = Pattern.compile("([a-z-]+);dur=([0-9.]+)");
    private static final List<String> HOPS = List.of("guardrails", "retrieval", "prompt", "model", "total");
    /** After start, before the at-rest CPU is measured: start-up's last background work (JIT, first metadata). */
    private static final Duration SETTLE = Duration.ofSeconds(15);
    private static final Duration IDLE = Duration.ofSeconds(60);
    private static final int FIRST_REQUEST_ATTEMPTS = 6;

    static void run(LauncherSettings base, String[] args) throws Exception {
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int warmup = Math.max(50, requests / 10);
        LauncherSettings settings = base
                .withServiceEnv(Map.of("SIM_TIME_TO_FIRST_TOKEN_MS", "0", "SIM_INTER_TOKEN_MS", "0",
                        "SIM_INSPECTION_ENABLED", "true"))
                // the demo tenant's rate limit and token budget would otherwise be what we measure
                .withServiceArgs(Map.of("gateway", List.of(
                        "--platform.gateway.tenants.demo.rate-limit.replenish-rate=100000",
                        "--platform.gateway.tenants.demo.rate-limit.burst-capacity=100000",
                        "--platform.gateway.budget.defaults.tokens-per-minute=1000000000",
                        "--platform.gateway.budget.defaults.tokens-per-day=1000000000")));

        System.out.println("Starting a fresh platform for the benchmark...");
        try (Platform platform = Platform.start(settings, System.out::println)) {
            long coldStartMillis = platform.startupTime().toMillis();
            long rssAtStart = platform.residentBytes();
            Map<String, Long> rssByService = new LinkedHashMap<>();
            platform.services().forEach(s -> rssByService.put(s.name(), Platform.residentBytesOf(s.pid())));

            // at rest: what the platform burns with no traffic at all (idle consumers polling, schedulers, probes)
            System.out.printf("Measuring CPU at rest for %d s (after %d s to settle)...%n", IDLE.toSeconds(),
                    SETTLE.toSeconds());
            Thread.sleep(SETTLE.toMillis());
            Map<String, Long> idleBefore = CpuTimes.snapshot(platform.services());
            Thread.sleep(IDLE.toMillis());
            Map<String, Long> idle = CpuTimes.difference(idleBefore, CpuTimes.snapshot(platform.services()));
            // printed now as well: a run that fails later still leaves these numbers
            System.out.printf("Cold start %.1f s, resident %d MB after start %s; CPU at rest, ms per minute: %s%n",
                    coldStartMillis / 1000.0, rssAtStart >> 20, megabytes(rssByService), perMinute(idle));

            HttpClient http = HttpClient.newHttpClient();
            String platformBody = """
                    {"model":"sim-small","messages":[{"role":"user","content":"%s"}]}""".formatted(QUESTION);
            HttpRequest viaGateway = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + settings.gatewayPort() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + settings.demoApiKey())
                    .header("Content-Type", "application/json")
                    // the same question every time: without this the exact cache answers every repeat, and the
                    // benchmark would measure a cache hit instead of the pipeline
                    .header("Cache-Control", "no-cache")
                    .POST(HttpRequest.BodyPublishers.ofString(platformBody)).build();

            // the simulator gets the prompt the orchestrator would build, so both answers cost the same to make
            String simulatorBody = lastPromptSentToSimulator(http, settings, viaGateway);
            HttpRequest direct = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + settings.simulatorPort() + "/v1/chat/completions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(simulatorBody)).build();

            System.out.printf("Warming up with %d requests each way...%n", warmup);
            measure(http, direct, warmup, null);
            measure(http, viaGateway, warmup, null);

            System.out.printf("Measuring %d sequential requests each way...%n", requests);
            Histogram simulatorOnly = measure(http, direct, requests, null);
            Map<String, Histogram> hops = new LinkedHashMap<>();
            Map<String, Long> cpuBefore = CpuTimes.snapshot(platform.services());
            Histogram endToEnd = measure(http, viaGateway, requests, hops);
            Map<String, Long> perRun = CpuTimes.difference(cpuBefore, CpuTimes.snapshot(platform.services()));
            long rssAfter = platform.residentBytes();

            String report = report(requests, coldStartMillis, rssAtStart, rssAfter, rssByService, simulatorOnly,
                    endToEnd, hops, platform)
                    + cpuReport(idle, perRun, requests);
            System.out.println(report);
            Path out = settings.stateDir().resolve("bench").resolve("overhead-" + LocalDate.now() + ".md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
            System.out.println("Written to " + out);
        }
    }

    private static String lastPromptSentToSimulator(HttpClient http, LauncherSettings settings, HttpRequest viaGateway)
            throws Exception {
        // the first requests after a start find cold code paths everywhere: on a busy machine one of them can miss
        // an internal deadline (a 503), which says nothing about the platform's steady overhead
        HttpResponse<String> first = firstRequest(http, settings, viaGateway);
        for (int attempt = 1; first.statusCode() != 200 && attempt < FIRST_REQUEST_ATTEMPTS; attempt++) {
            System.out.printf("First request answered %d; retrying in 5 s (%d of %d)%n", first.statusCode(), attempt,
                    FIRST_REQUEST_ATTEMPTS - 1);
            Thread.sleep(5_000);
            first = firstRequest(http, settings, viaGateway);
        }
        if (first.statusCode() != 200) {
            throw new IllegalStateException("The platform answered " + first.statusCode() + ": " + first.body());
        }
        String received = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + settings.simulatorPort() + "/sim/requests")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body().trim();
        // a JSON array holding the one request the simulator saw: unwrap it
        return received.substring(received.indexOf('{'), received.lastIndexOf('}') + 1);
    }

    /** The request through the gateway, with the simulator's record emptied first so it holds this one alone. */
    private static HttpResponse<String> firstRequest(HttpClient http, LauncherSettings settings, HttpRequest viaGateway)
            throws Exception {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + settings.simulatorPort() + "/sim/requests"))
                .DELETE().build(), HttpResponse.BodyHandlers.discarding());
        return http.send(viaGateway, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends the request {@code count} times in a row; records client latency and, if asked, Server-Timing hops. */
    private static Histogram measure(HttpClient http, HttpRequest request, int count, Map<String, Histogram> hops)
            throws Exception {
        Histogram latency = new Histogram(3);
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long micros = (System.nanoTime() - t0) / 1_000;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Request " + i + " got " + response.statusCode() + ": " + response.body());
            }
            latency.recordValue(micros);
            if (hops != null) {
                Matcher m = TIMING.matcher(response.headers().firstValue("Server-Timing").orElse(""));
                while (m.find()) {
                    hops.computeIfAbsent(m.group(1), k -> new Histogram(3))
                            .recordValue(Math.round(Double.parseDouble(m.group(2)) * 1000));
                }
            }
        }
        return latency;
    }

    private static String report(int requests, long coldStartMillis, long rssAtStart, long rssAfter,
                                 Map<String, Long> rssByService, Histogram simulatorOnly, Histogram endToEnd, Map<String, Histogram> hops,
                                 Platform platform) {
        StringBuilder out = new StringBuilder();
        out.append("## Platform overhead, ").append(LocalDate.now()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(Runtime.version().feature()).append("\n\n");
        out.append(String.format("- Cold start, all services ready: %.1f s%n", coldStartMillis / 1000.0));
        out.append(String.format("- Resident memory, all processes: %d MB after start, %d MB after the run%n",
                rssAtStart >> 20, rssAfter >> 20));
        for (ServiceProcess s : platform.services()) {
            out.append(String.format("  - %s: %d MB after start, %d MB after the run%n", s.name(),
                    rssByService.getOrDefault(s.name(), 0L) >> 20, Platform.residentBytesOf(s.pid()) >> 20));
        }
        out.append(String.format("%n%d sequential non-streaming requests each way, simulator delays 0.%n%n", requests));
        out.append("| hop | p50 ms | p99 ms |\n|---|---:|---:|\n");
        row(out, "client → simulator directly", simulatorOnly);
        row(out, "client → gateway → platform → simulator", endToEnd);
        out.append(String.format("| **platform overhead** (difference of the two) | %.2f | %.2f |%n",
                ms(endToEnd.getValueAtPercentile(50) - simulatorOnly.getValueAtPercentile(50)),
                ms(endToEnd.getValueAtPercentile(99) - simulatorOnly.getValueAtPercentile(99))));
        for (String hop : HOPS) {
            Histogram h = hops.get(hop);
            if (h != null) {
                row(out, "orchestrator: " + hop + (hop.equals("total") ? " (all of its own work)" : ""), h);
            }
        }
        Histogram orchestratorTotal = hops.get("total");
        if (orchestratorTotal != null) {
            out.append(String.format("| gateway and HTTP hops (end-to-end minus orchestrator total, p50) | %.2f | |%n",
                    ms(endToEnd.getValueAtPercentile(50) - orchestratorTotal.getValueAtPercentile(50))));
        }
        return out.toString();
    }

    /** CPU per minute at rest and per request through the gateway, per process (the launcher JVM is also the client). */
    private static String cpuReport(Map<String, Long> idle, Map<String, Long> perRun, int requests) {
        StringBuilder out = new StringBuilder(String.format(
                "%n| process | CPU at rest, ms per minute | CPU per request through the gateway, ms |%n|---|---:|---:|%n"));
        long idleTotal = 0;
        long runTotal = 0;
        for (String name : perRun.keySet()) {
            long atRest = idle.getOrDefault(name, 0L) * 60 / IDLE.toSeconds();
            long run = perRun.get(name);
            idleTotal += atRest;
            runTotal += run;
            out.append(String.format("| %s | %.0f | %.2f |%n", name, atRest / 1e6, run / 1e6 / requests));
        }
        out.append(String.format("| **all** | %.0f | %.2f |%n", idleTotal / 1e6, runTotal / 1e6 / requests));
        out.append(String.format("%nCPU from /proc (user + system, 10 ms ticks); at rest: %d s with no traffic, %d s "
                + "after start; per request: the %d measured requests through the gateway (the launcher JVM also "
                + "runs this benchmark's client).%n", IDLE.toSeconds(), SETTLE.toSeconds(), requests));
        return out.toString();
    }

    private static Map<String, Long> megabytes(Map<String, Long> bytes) {
        Map<String, Long> mb = new LinkedHashMap<>();
        bytes.forEach((name, b) -> mb.put(name, b >> 20));
        return mb;
    }

    private static Map<String, Long> perMinute(Map<String, Long> idleNanos) {
        Map<String, Long> ms = new LinkedHashMap<>();
        idleNanos.forEach((name, nanos) -> ms.put(name, nanos * 60 / IDLE.toSeconds() / 1_000_000));
        return ms;
    }

    private static void row(StringBuilder out, String hop, Histogram micros) {
        out.append(String.format("| %s | %.2f | %.2f |%n", hop, ms(micros.getValueAtPercentile(50)),
                ms(micros.getValueAtPercentile(99))));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    private OverheadBenchmark() {
    }
}
