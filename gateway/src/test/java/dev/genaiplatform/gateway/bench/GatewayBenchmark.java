package dev.genaiplatform.gateway.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.gateway.GatewayApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;


/**
 * Not a test: what the gateway adds to a request, measured against the same trivial upstream called directly,
 * in the same run. Starts Redis, PostgreSQL, an upstream answering a fixed chat completion (with usage) or a timed stream
 * and one or more gateways with every check on (API key, canonical path, rate limit, scope, size, chat validation,
 * budget reservation and reconciliation, internal token), each in a JVM of its own so that its CPU time can be
 * read and two builds (before and after a change) can be measured side by side under the same machine load. The
 * upstream ({@link BenchUpstream}) runs in this JVM on Reactor Netty.
 * Then:
 * <ol>
 *   <li>sequential: one request at a time, interleaved over direct and every gateway, p50/p90/p99 of each and
 *       what each gateway adds;</li>
 *   <li>throughput: 32 client threads, closed loop, requests per second, p50/p99, and the gateway process's CPU
 *       time per request.</li>
 * </ol>
 * Arguments: sequential requests (default 5000), seconds per throughput run (default 15), then any number of
 * {@code label=classpath-file} (default: one gateway, {@code gateway}, from this JVM's own classpath). Each
 * gateway gets a database of its own. {@code -Dbench.jfr=<label>} (or {@code all}) records a JFR profile of that
 * gateway into {@code target/<label>.jfr}. {@code -Dbench.kafka=true} starts an embedded broker and lets the
 * gateway's two listeners poll it, as on the platform (otherwise they stay off: they play no part in a request).
 * {@code -Dbench.paced=<n>} sets the rate of the paced phase (default 7 requests/s, the platform benchmark's).
 * {@code -Dbench.phases=} any of {@code streams,sequential,paced,throughput} (default the last three; paced and
 * throughput need sequential, which warms up): {@code streams} measures what the gateway adds to each token of a
 * streamed answer ({@link StreamingPhase}), per {@code -Dbench.levels=2000x20} (streams x tokens per second each,
 * several separated by commas), the upstream alone and every gateway in turn.
 * {@code redis} ({@link RedisPhase}, wave 10) counts the Redis round trips and commands per request with
 * {@code MONITOR}.
 * {@code stages} ({@link StagesPhase}) splits sequential chat completions into the part each filter and each wait
 * took, from {@link StageProbes}' notes (gateways started from the test classpath only).
 * {@code -Dbench.start-minutes} how long a gateway may take to start (default 3).
 * {@code -Dbench.warmup} requests per gateway before anything is measured (default 2000).
 * {@code blocks} (after sequential) runs {@link AlternatingBlocks}: the builds take turns in short blocks, so each
 * one's CPU per request and latency are read under the same machine load. A {@code label=file} whose file names a
 * packaged exec jar ({@code *.jar}) runs that jar with {@code java -jar}, as the platform does.
 */
public final class GatewayBenchmark {

    static final String BODY = "{\"model\":\"sim-small\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"What is retrieval-augmented generation?\"}]}";

    /**
     * Every port the benchmark listens on is fixed, in a range kept for it (20000-20999), so that it never takes a
     * port another process on a shared machine expects to find free.
     */
    private static final int REDIS_PORT = 20010;

    private static final int POSTGRES_PORT = 20020;

    private static final int UPSTREAM_PORT = 20030;

    private static final int GATEWAY_PORTS = 20100;

    private static final int MANAGEMENT_PORTS = 20200;

    public static void main(String[] args) throws Exception {
        int sequential = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Map<String, String> builds = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] labelAndFile = args[i].split("=", 2);
            builds.put(labelAndFile[0], Files.readString(Path.of(labelAndFile[1])).trim());
        }
        if (builds.isEmpty()) {
            builds.put("gateway", System.getProperty("java.class.path"));
        }

        EmbeddedKafkaKraftBroker kafka = null;
        if (Boolean.getBoolean("bench.kafka")) { // the two revocation/limit listeners polling, as on the platform
            kafka = new EmbeddedKafkaKraftBroker(1, 1, Topics.GATEWAY_API_KEY_REVOKED, Topics.GATEWAY_TENANT_LIMITS_CHANGED);
            kafka.afterPropertiesSet();
        }
        String bootstrap = kafka == null ? null : kafka.getBrokersAsString();
        BenchUpstream upstream = new BenchUpstream(UPSTREAM_PORT);
        String direct = "http://127.0.0.1:" + upstream.port() + "/v1/chat/completions";

        int redisPort = REDIS_PORT;
        RedisServer redis = RedisServer.newRedisServer().executableProvider(redisExecutable()).bind("127.0.0.1")
            .port(redisPort).setting("save \"\"").setting("appendonly no").build();
        redis.start();
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(POSTGRES_PORT).start();
        Map<String, Gateway> gateways = new LinkedHashMap<>();
        try {
            // started at once: on a loaded machine one start can take minutes
            Map<String, java.util.concurrent.CompletableFuture<Gateway>> starting = new LinkedHashMap<>();
            int index = 0;
            for (Map.Entry<String, String> build : builds.entrySet()) {
                int gatewayIndex = index++;
                starting.put(build.getKey(), java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return Gateway.start(build.getKey(), build.getValue(), postgres, redisPort,
                                upstream.port(), bootstrap, gatewayIndex);
                    }
                    catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }));
            }
            for (Map.Entry<String, java.util.concurrent.CompletableFuture<Gateway>> start : starting.entrySet()) {
                gateways.put(start.getKey(), start.getValue().join());
            }
            System.out.printf(Locale.ROOT, "cores: %d, JVM: %s, load average at start: %.1f%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<String> phases = List.of(System.getProperty("bench.phases", "sequential,paced,throughput").split(","));
            if (phases.contains("streams")) {
                streams(direct, gateways);
            }
            if (phases.contains("redis")) {
                Map<String, String> urls = new LinkedHashMap<>();
                gateways.forEach((label, gateway) -> urls.put(label, gateway.url()));
                RedisPhase.run(client, urls, redisPort, Integer.getInteger("bench.redis-rounds", 2),
                        Integer.getInteger("bench.redis-requests", 200));
            }
            if (phases.contains("stages")) {
                Map<String, String> urls = new LinkedHashMap<>(Map.of("direct", direct)); // the upstream alone
                gateways.forEach((label, gateway) -> urls.put(label, gateway.url()));
                StagesPhase.run(client, urls, Integer.getInteger("bench.warmup", 2000), sequential);
            }
            if (!phases.contains("sequential")) {
                return;
            }
            int warmUp = Integer.getInteger("bench.warmup", 2000);
            sequential(client, direct, warmUp);
            for (Gateway gateway : gateways.values()) {
                sequential(client, gateway.url(), warmUp);
            }
            long[] directTimes = new long[sequential];
            Map<String, long[]> gatewayTimes = new LinkedHashMap<>();
            gateways.keySet().forEach(label -> gatewayTimes.put(label, new long[sequential]));
            Map<String, Duration> sequentialCpu = new LinkedHashMap<>();
            gateways.forEach((label, gateway) -> sequentialCpu.put(label, gateway.cpu()));
            for (int i = 0; i < sequential; i++) { // interleaved, so drift in machine load hits all alike
                directTimes[i] = once(client, direct);
                for (Map.Entry<String, Gateway> gateway : gateways.entrySet()) {
                    gatewayTimes.get(gateway.getKey())[i] = once(client, gateway.getValue().url());
                }
            }
            report("sequential, direct", directTimes, 0, null);
            for (Map.Entry<String, long[]> times : gatewayTimes.entrySet()) {
                long[] through = times.getValue();
                report("sequential, " + times.getKey(), through, 0,
                        gateways.get(times.getKey()).cpu().minus(sequentialCpu.get(times.getKey())));
                System.out.printf(Locale.ROOT, "  added by %s: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms%n", times.getKey(),
                        (pct(through, 50) - pct(directTimes, 50)) / 1e6, (pct(through, 90) - pct(directTimes, 90)) / 1e6,
                        (pct(through, 99) - pct(directTimes, 99)) / 1e6);
            }
            if (phases.contains("paced")) {
                idleAndPaced(client, gateways, Integer.getInteger("bench.paced", 7), 20);
            }
            if (phases.contains("blocks")) {
                AlternatingBlocks.run(gateways.entrySet().stream()
                    .map(g -> new AlternatingBlocks.Target(g.getKey(), g.getValue().url(), g.getValue()::cpu)).toList(),
                        Integer.getInteger("bench.rounds", 6), Integer.getInteger("bench.block", 500),
                        Integer.getInteger("bench.block-seconds", 5));
            }
            if (!phases.contains("throughput")) {
                return;
            }
            concurrent(direct, 32, 3);
            report("32 connections, direct", concurrent(direct, 32, seconds), seconds, null);
            for (Map.Entry<String, Gateway> gateway : gateways.entrySet()) {
                concurrent(gateway.getValue().url(), 32, 3);
                Duration cpuBefore = gateway.getValue().cpu();
                long[] times = concurrent(gateway.getValue().url(), 32, seconds);
                Duration cpu = gateway.getValue().cpu().minus(cpuBefore);
                report("32 connections, " + gateway.getKey(), times, seconds, cpu);
            }
        }
        finally {
            gateways.values().forEach(Gateway::stop);
            postgres.close();
            redis.stop();
            upstream.stop();
            if (kafka != null) {
                kafka.destroy();
            }
        }
    }

    /**
     * Streamed answers ({@link StreamingPhase}): for each level of {@code -Dbench.levels} (default {@code 2000x20}:
     * 2,000 streams at 20 tokens/s each), {@code -Dbench.rounds} rounds (default 2), each round the upstream alone,
     * then every gateway (their order reversed every other round), so that each gateway's numbers have a direct run
     * of the same minute beside them. Streams last {@code -Dbench.stream-seconds} (default 12) and open over
     * {@code -Dbench.ramp} seconds (default 3).
     */
    private static void streams(String direct, Map<String, Gateway> gateways) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 2);
        int streamSeconds = Integer.getInteger("bench.stream-seconds", 12);
        double ramp = Double.parseDouble(System.getProperty("bench.ramp", "3"));
        StreamingPhase.Shape warmUp = new StreamingPhase.Shape(200, 20, 5, 1);
        StreamingPhase.run(direct, warmUp, null);
        for (Gateway gateway : gateways.values()) {
            StreamingPhase.run(gateway.url(), warmUp, gateway::cpu);
        }
        for (String level : System.getProperty("bench.levels", "2000x20").split(",")) {
            String[] streamsAndRate = level.trim().split("x");
            StreamingPhase.Shape shape = new StreamingPhase.Shape(Integer.parseInt(streamsAndRate[0]),
                    Integer.parseInt(streamsAndRate[1]), streamSeconds, ramp);
            System.out.println("streams: " + shape.describe());
            Map<String, List<StreamingPhase.Result>> results = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                List<Map.Entry<String, Gateway>> order = new ArrayList<>(gateways.entrySet());
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                StreamingPhase.Result upstreamAlone = StreamingPhase.run(direct, shape, null);
                System.out.println("  round " + (round + 1) + " " + upstreamAlone.describe("direct"));
                results.computeIfAbsent("direct", k -> new ArrayList<>()).add(upstreamAlone);
                for (Map.Entry<String, Gateway> gateway : order) {
                    Thread.sleep(2000); // the last run's connections closed and its garbage collected
                    StreamingPhase.Result through = StreamingPhase.run(gateway.getValue().url(), shape,
                            gateway.getValue()::cpu);
                    System.out.println("  round " + (round + 1) + " " + through.describe(gateway.getKey()));
                    System.out.printf(Locale.ROOT, "  round %d added by %s (minus direct of this round): p50 %.3f, p90 %.3f, "
                            + "p99 %.3f, p99.9 %.3f, mean %.3f ms%n", round + 1, gateway.getKey(),
                            through.pct(50) - upstreamAlone.pct(50), through.pct(90) - upstreamAlone.pct(90),
                            through.pct(99) - upstreamAlone.pct(99), through.pct(99.9) - upstreamAlone.pct(99.9),
                            through.mean() - upstreamAlone.mean());
                    results.computeIfAbsent(gateway.getKey(), k -> new ArrayList<>()).add(through);
                }
            }
            results.forEach((label, runs) -> System.out.printf(Locale.ROOT,
                    "  summary %-8s p50 %s ms, p99 %s ms, tokens/s arrived %s, gateway us/token %s, machine busy cores %s%n", label,
                    runs.stream().map(r -> String.format(Locale.ROOT, "%.3f", r.pct(50))).toList(),
                    runs.stream().map(r -> String.format(Locale.ROOT, "%.3f", r.pct(99))).toList(),
                    runs.stream().map(r -> String.format(Locale.ROOT, "%.0f", r.tokensPerSecond())).toList(),
                    runs.stream().map(r -> String.format(Locale.ROOT, "%.1f", r.gatewayMicrosPerToken())).toList(),
                    runs.stream().map(r -> String.format(Locale.ROOT, "%.2f", r.machineBusyCores())).toList()));
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        }
        catch (IOException notLinux) {
            return "n/a";
        }
    }

    /**
     * What a gateway costs when it is not busy: CPU per second with no request at all (timers, pollers, JFR if on),
     * then CPU per request at a paced rate like the whole platform's sequential benchmark (about 7 requests/s),
     * where that idle cost is shared by few requests.
     */
    private static void idleAndPaced(HttpClient client, Map<String, Gateway> gateways, int perSecond, int seconds)
            throws Exception {
        Map<String, Duration> start = new LinkedHashMap<>();
        Map<String, Map<String, Long>> threads = new LinkedHashMap<>();
        gateways.forEach((label, gateway) -> start.put(label, gateway.cpu()));
        gateways.forEach((label, gateway) -> threads.put(label, gateway.threadCpu()));
        Thread.sleep(seconds * 1000L);
        gateways.forEach((label, gateway) -> System.out.printf(Locale.ROOT, "idle, %s: %.1f ms of CPU per second%s%n",
                label, gateway.cpu().minus(start.get(label)).toNanos() / 1e6 / seconds,
                busiest(threads.get(label), gateway.threadCpu(), seconds, "s")));
        gateways.forEach((label, gateway) -> start.put(label, gateway.cpu()));
        gateways.forEach((label, gateway) -> threads.put(label, gateway.threadCpu()));
        int n = perSecond * seconds;
        long next = System.nanoTime();
        for (int i = 0; i < n; i++) {
            for (Gateway gateway : gateways.values()) {
                once(client, gateway.url());
            }
            next += 1_000_000_000L / perSecond;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        gateways.forEach((label, gateway) -> System.out.printf(Locale.ROOT,
                "paced %d requests/s, %s: %.2f ms of CPU per request%s%n", perSecond, label,
                gateway.cpu().minus(start.get(label)).toNanos() / 1e6 / n,
                busiest(threads.get(label), gateway.threadCpu(), n, "request")));
    }

    /** The thread groups that used the most CPU between two readings, in ms per {@code unit}. */
    private static String busiest(Map<String, Long> before, Map<String, Long> after, int units, String unit) {
        StringBuilder out = new StringBuilder();
        after.entrySet().stream()
            .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
            .filter(e -> e.getValue() > 0)
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(8)
            .forEach(e -> out.append(String.format(Locale.ROOT, "%n    %-40s %.2f ms/%s", e.getKey(),
                    e.getValue() * 10.0 / units, unit)));
        return out.toString();
    }

    /** A gateway in a JVM of its own, on the shared Redis and PostgreSQL (a database per gateway). */
    private record Gateway(Process process, String url) {

        static Gateway start(String label, String classpath, EmbeddedPostgres postgres, int redisPort, int upstreamPort,
                String kafkaBootstrap, int index) throws Exception {
            String database = "gateway_" + label.replaceAll("[^a-z0-9]", "_");
            try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
                connection.createStatement().execute("create database " + database);
            }
            int port = GATEWAY_PORTS + index;
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED"));
            if (label.equals(System.getProperty("bench.jfr")) || "all".equals(System.getProperty("bench.jfr"))) {
                command.add("-XX:StartFlightRecording=filename=target/" + label + ".jfr,settings=profile,delay=30s");
            }
            // a packaged exec jar runs as the platform runs it (scripts and resources inside a nested jar)
            command.addAll(classpath.endsWith(".jar") && !classpath.contains(java.io.File.pathSeparator) ? List.of("-jar", classpath)
                    : List.of("-cp", classpath, GatewayApplication.class.getName()));
            command.addAll(List.of(
                    "--server.port=" + port, "--management.server.port=" + (MANAGEMENT_PORTS + index),
                    "--logging.level.root=WARN",
                    "--spring.data.redis.port=" + redisPort,
                    "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", database),
                    "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                    kafkaBootstrap == null ? "--spring.kafka.listener.auto-startup=false"
                            : "--spring.kafka.bootstrap-servers=" + kafkaBootstrap,
                    "--ORCHESTRATOR_URL=http://127.0.0.1:" + upstreamPort,
                    "--PLATFORM_DEMO_API_KEY=bench-key",
                    "--platform.gateway.tenants.demo.rate-limit.replenish-rate=100000",
                    "--platform.gateway.tenants.demo.rate-limit.burst-capacity=200000",
                    "--platform.gateway.budget.defaults.tokens-per-minute=1000000000",
                    "--platform.gateway.budget.defaults.tokens-per-day=1000000000",
                    "--platform.gateway.budget.defaults.cost-per-month=1000000",
                    "--platform.gateway.budget.prices.sim-small.input=0.15",
                    "--platform.gateway.budget.prices.sim-small.output=0.6",
                    "--platform.gateway.client.max-failed-authentications=1000000",
                    "--platform.gateway.client.max-concurrent-streams=100000",
                    "--platform.gateway.admission.max-waiting-chat=100000",
                    // StageProbes (test classpath only): notes when a request passes each filter
                    "--bench.stages=" + System.getProperty("bench.phases", "").contains("stages")));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(new java.io.File("target/bench-" + label + ".log")).start();
            Gateway gateway = new Gateway(process, "http://127.0.0.1:" + port + "/v1/chat/completions");
            HttpClient probe = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + Duration.ofMinutes(Integer.getInteger("bench.start-minutes", 3)).toNanos();
            while (true) {
                try {
                    once(probe, gateway.url());
                    return gateway;
                }
                catch (IOException | IllegalStateException notYet) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        process.destroy();
                        throw new IllegalStateException("Gateway " + label + " did not start; see target/bench-" + label + ".log");
                    }
                    Thread.sleep(500);
                }
            }
        }

        /** CPU ticks (10 ms) per thread-name group, from /proc (Linux only; empty elsewhere). */
        Map<String, Long> threadCpu() {
            Map<String, Long> ticks = new java.util.TreeMap<>();
            try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
                tasks.forEach(task -> {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("[0-9]+", "#");
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                    }
                    catch (IOException | RuntimeException gone) {
                        // the thread ended between the listing and the read
                    }
                });
            }
            catch (IOException notLinux) {
                return ticks;
            }
            return ticks;
        }

        Duration cpu() {
            return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
        }

        void stop() {
            process.destroy();
        }
    }

    private static void sequential(HttpClient client, String url, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            once(client, url);
        }
    }

    static long once(HttpClient client, String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer bench-key").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
        long start = System.nanoTime();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long took = System.nanoTime() - start;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return took;
    }

    /** Closed loop: each thread sends its next request when the last one is answered. */
    private static long[] concurrent(String url, int connections, int seconds) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        List<List<Long>> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            List<Long> times = new ArrayList<>();
            perThread.add(times);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    while (running.get()) {
                        times.add(once(client, url));
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
        return perThread.stream().flatMap(List::stream).mapToLong(Long::longValue).toArray();
    }

    private static void report(String name, long[] times, int seconds, Duration cpu) {
        Arrays.sort(times);
        String rate = seconds > 0 ? String.format(Locale.ROOT, ", %.0f requests/s", times.length / (double) seconds) : "";
        String perRequest = cpu == null ? "" : String.format(Locale.ROOT, ", gateway CPU %.3f ms/request",
                cpu.toNanos() / 1e6 / times.length);
        System.out.printf(Locale.ROOT, "%s: n=%d, p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%s%s%n", name,
                times.length, pct(times, 50) / 1e6, pct(times, 90) / 1e6, pct(times, 99) / 1e6,
                times[times.length - 1] / 1e6, rate, perRequest);
    }

    static double pct(long[] times, double percentile) {
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(percentile / 100 * sorted.length) - 1)];
    }

    private static ExecutableProvider redisExecutable() {
        try {
            return ExecutableProvider.newExecutableInPath("redis-server");
        }
        catch (java.io.FileNotFoundException notOnPath) {
            return ExecutableProvider.newJarResourceProvider();
        }
    }
}
