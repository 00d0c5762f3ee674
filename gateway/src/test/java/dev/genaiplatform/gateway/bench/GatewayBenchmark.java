package dev.genaiplatform.gateway.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpServer;
import dev.genaiplatform.gateway.GatewayApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Not a test: what the gateway adds to a request, measured against the same trivial upstream called directly,
 * in the same run. Starts Redis, PostgreSQL, a JDK HTTP server answering a fixed chat completion (with usage)
 * and the gateway with every check on (API key, canonical path, rate limit, scope, size, chat validation,
 * budget reservation and reconciliation, internal token). Then, alternating direct and gateway:
 * <ol>
 *   <li>sequential: one request at a time, p50/p90/p99 latency of each and the difference;</li>
 *   <li>throughput: 32 client threads, closed loop, requests per second and p50/p99.</li>
 * </ol>
 * Arguments: sequential requests (default 5000), seconds per throughput run (default 15). The README gives the
 * command. Kafka is not started (the revocation listener stays off): it plays no part in a request.
 */
public final class GatewayBenchmark {

    private static final String BODY = "{\"model\":\"sim-small\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"What is retrieval-augmented generation?\"}]}";

    private static final byte[] ANSWER = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"sim-small\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"RAG grounds answers in "
            + "retrieved passages.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":14,"
            + "\"completion_tokens\":8,\"total_tokens\":22}}").getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) throws Exception {
        int sequential = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;

        HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        upstream.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, ANSWER.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(ANSWER);
                }
            }
        });
        upstream.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        upstream.start();
        String direct = "http://127.0.0.1:" + upstream.getAddress().getPort() + "/v1/chat/completions";

        int redisPort = freePort();
        RedisServer redis = RedisServer.newRedisServer().executableProvider(redisExecutable()).bind("127.0.0.1")
            .port(redisPort).setting("save \"\"").setting("appendonly no").build();
        redis.start();
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            connection.createStatement().execute("create database gateway");
        }
        ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0", "--management.server.port=0",
                "--logging.level.root=WARN",
                "--spring.data.redis.port=" + redisPort,
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "gateway"),
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                "--spring.kafka.listener.auto-startup=false",
                "--ORCHESTRATOR_URL=http://127.0.0.1:" + upstream.getAddress().getPort(),
                "--PLATFORM_DEMO_API_KEY=bench-key",
                "--platform.gateway.tenants.demo.rate-limit.replenish-rate=100000",
                "--platform.gateway.tenants.demo.rate-limit.burst-capacity=200000",
                "--platform.gateway.budget.defaults.tokens-per-minute=1000000000",
                "--platform.gateway.budget.defaults.tokens-per-day=1000000000",
                "--platform.gateway.budget.defaults.cost-per-month=1000000",
                "--platform.gateway.budget.prices.sim-small.input=0.15",
                "--platform.gateway.budget.prices.sim-small.output=0.6",
                "--platform.gateway.client.max-failed-authentications=1000000");
        String viaGateway = "http://127.0.0.1:" + ((WebServerApplicationContext) gateway).getWebServer().getPort()
                + "/v1/chat/completions";
        try {
            System.out.printf(Locale.ROOT, "cores: %d, JVM: %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            sequential(client, direct, 2000);
            sequential(client, viaGateway, 2000);
            long[] directTimes = new long[sequential];
            long[] gatewayTimes = new long[sequential];
            for (int i = 0; i < sequential; i++) { // interleaved, so drift in machine load hits both alike
                directTimes[i] = once(client, direct);
                gatewayTimes[i] = once(client, viaGateway);
            }
            report("sequential, direct ", directTimes, 0);
            report("sequential, gateway", gatewayTimes, 0);
            System.out.printf(Locale.ROOT, "added latency: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms%n",
                    (pct(gatewayTimes, 50) - pct(directTimes, 50)) / 1e6, (pct(gatewayTimes, 90) - pct(directTimes, 90)) / 1e6,
                    (pct(gatewayTimes, 99) - pct(directTimes, 99)) / 1e6);
            concurrent(direct, 32, 3);
            concurrent(viaGateway, 32, 3);
            report("32 connections, direct ", concurrent(direct, 32, seconds), seconds);
            report("32 connections, gateway", concurrent(viaGateway, 32, seconds), seconds);
        }
        finally {
            gateway.close();
            postgres.close();
            redis.stop();
            upstream.stop(0);
        }
    }

    private static void sequential(HttpClient client, String url, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            once(client, url);
        }
    }

    private static long once(HttpClient client, String url) throws IOException, InterruptedException {
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

    private static void report(String name, long[] times, int seconds) {
        Arrays.sort(times);
        String rate = seconds > 0 ? String.format(Locale.ROOT, ", %.0f requests/s", times.length / (double) seconds) : "";
        System.out.printf(Locale.ROOT, "%s: n=%d, p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%s%n", name,
                times.length, pct(times, 50) / 1e6, pct(times, 90) / 1e6, pct(times, 99) / 1e6,
                times[times.length - 1] / 1e6, rate);
    }

    private static double pct(long[] times, double percentile) {
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(percentile / 100 * sorted.length) - 1)];
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
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
