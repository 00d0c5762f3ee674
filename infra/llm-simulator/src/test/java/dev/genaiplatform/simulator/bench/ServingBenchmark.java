package dev.genaiplatform.simulator.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load benchmark of the simulator's serving model. Starts the simulator as a child JVM on the same
 * classpath (so its CPU and memory are measured apart from this load generator), then:
 * <ul>
 *   <li>{@code curves}: for each model, 1, 2, 4, ... 256 concurrent streams, each client sending streamed
 *       requests back to back for a few seconds; reports TTFT and inter-token latency p50/p99 and tokens/s,
 *       and marks the throughput knee;</li>
 *   <li>{@code streams}: with the delays at 0, 1,000 streams at once; reports how many completed, the
 *       wall time and the simulator's CPU time and memory.</li>
 * </ul>
 * Run it as the README's "Benchmark" shows; {@code --url} targets a simulator that is already running.
 */
public final class ServingBenchmark {

    private static final Pattern COMPLETION_TOKENS = Pattern.compile("\"completion_tokens\":(\\d+)");
    private static final Pattern PROMPT_TOKENS = Pattern.compile("\"prompt_tokens\":(\\d+)");
    private static final int[] CONCURRENCY = {1, 2, 4, 8, 16, 32, 64, 128, 256};
    private static final Duration LEVEL = Duration.ofSeconds(4);
    private static final Duration STAGGER = Duration.ofSeconds(1);
    private static final int MAX_TOKENS = 64;

    private final HttpClient http;
    private final URI completions;
    private final String question = "Why does the platform put Kafka between its services, and what does it cost?";
    private final String context;

    private ServingBenchmark(String baseUrl) throws IOException {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        this.completions = URI.create(baseUrl + "/v1/chat/completions");
        try (InputStream in = ServingBenchmark.class.getResourceAsStream("/quality/architecture-context.txt")) {
            this.context = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "curves";
        String url = option(args, "--url");
        String models = option(args, "--models");
        List<String> modelIds = models == null ? List.of("sim-small", "sim-large") : List.of(models.split(","));
        boolean instant = mode.equals("streams");
        try (Simulator simulator = url == null ? Simulator.start(instant) : Simulator.attach(url)) {
            ServingBenchmark bench = new ServingBenchmark(simulator.baseUrl());
            if (instant) {
                bench.streams(simulator, modelIds.getFirst(), intOption(args, "--streams", 1000));
            } else {
                for (String model : modelIds) {
                    bench.curve(model);
                }
            }
        }
    }

    /** One model's latency and throughput against concurrency. */
    private void curve(String model) throws Exception {
        stream(model, null); // warm up the JIT and the connection pool
        System.out.printf("%n### %s (prompt %d tokens, max_tokens %d..%d, %d s per level)%n%n", model,
                promptTokens(model), MAX_TOKENS / 2, MAX_TOKENS * 3 / 2, LEVEL.toSeconds());
        System.out.println("| streams | requests | TTFT p50 ms | TTFT p99 ms | ITL p50 ms | ITL p99 ms | tokens/s |  |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---|");
        List<double[]> rows = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int streams : CONCURRENCY) {
            Level level = level(model, streams);
            rows.add(new double[]{streams, level.tokensPerSecond()});
            lines.add("| %d | %d | %.0f | %.0f | %.1f | %.1f | %.0f |".formatted(streams, level.requests,
                    ms(level.ttft, 50), ms(level.ttft, 99), ms(level.itl, 50), ms(level.itl, 99),
                    level.tokensPerSecond()));
        }
        int knee = knee(rows);
        for (int i = 0; i < lines.size(); i++) {
            System.out.println(lines.get(i) + (i == knee ? " **knee** |" : "  |"));
        }
    }

    /** The first level after which doubling the streams adds less than 15 % tokens/s. */
    private static int knee(List<double[]> rows) {
        for (int i = 0; i + 1 < rows.size(); i++) {
            if (rows.get(i + 1)[1] < rows.get(i)[1] * 1.15) {
                return i;
            }
        }
        return rows.size() - 1;
    }

    private Level level(String model, int streams) throws Exception {
        Level level = new Level();
        long start = System.nanoTime();
        long deadline = start + LEVEL.toNanos();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < streams; i++) {
                // answers of varied length (mean MAX_TOKENS), so clients do not finish, and come back, in lockstep
                Random lengths = new Random(i);
                long startAfter = STAGGER.toNanos() * i / streams;
                clients.submit(() -> {
                    // arrivals spread over the first second, as real users' are, not one synchronized burst
                    Thread.sleep(Duration.ofNanos(startAfter));
                    do {
                        level.add(stream(model, MAX_TOKENS / 2 + lengths.nextInt(MAX_TOKENS + 1)));
                    } while (System.nanoTime() < deadline);
                    return null;
                });
            }
        }
        level.seconds = (System.nanoTime() - start) / 1e9;
        return level;
    }

    /** 1,000 (or --streams) streams at once with the delays at 0: do they all complete, and at what cost? */
    private void streams(Simulator simulator, String model, int streams) throws Exception {
        System.out.printf("%n### %d concurrent streams, delays 0 (%s)%n%n", streams, model);
        System.out.println("| round | streams | completed | failed | wall time s | tokens streamed | simulator CPU s | simulator RSS MB (peak) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        // the first round runs on a cold JVM (interpreter, JIT compiling); the second shows the steady state
        burst(simulator, model, streams, "1 (cold JVM)");
        burst(simulator, model, streams, "2 (warm)");
    }

    private void burst(Simulator simulator, String model, int streams, String round) throws Exception {
        Simulator.Usage before = simulator.usage();
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger tokens = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        long start;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < streams; i++) {
                futures.add(clients.submit(() -> {
                    go.await();
                    Result result = stream(model, null);
                    if (result.done) {
                        completed.incrementAndGet();
                        tokens.addAndGet(result.completionTokens);
                    }
                    return null;
                }));
            }
            start = System.nanoTime();
            go.countDown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long failed = futures.stream().filter(f -> f.state() == Future.State.FAILED).count();
        Simulator.Usage after = simulator.usage();
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.2f | %d | %.2f | %d (%d) |%n", round, streams,
                completed.get(), failed,
                seconds, tokens.get(), after.cpuSeconds() - before.cpuSeconds(), after.rssMb(), after.peakRssMb());
    }

    /** One streamed completion: when its first token and each further token arrived. */
    private Result stream(String model, Integer maxTokens) throws IOException, InterruptedException {
        String body = """
                {"model":%s,"stream":true,"stream_options":{"include_usage":true},%s
                 "messages":[{"role":"system","content":%s},{"role":"user","content":%s}]}"""
                .formatted(json(model), maxTokens == null ? "" : "\"max_tokens\":" + maxTokens + ",",
                        json(context), json(question));
        long sent = System.nanoTime();
        HttpResponse<java.util.stream.Stream<String>> response = http.send(HttpRequest.newBuilder(completions)
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
        Result result = new Result();
        if (response.statusCode() != 200) {
            response.body().close();
            return result;
        }
        long last = -1;
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (!line.startsWith("data: ")) {
                continue;
            }
            long now = System.nanoTime();
            if (line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
                if (last < 0) {
                    result.ttftNanos = now - sent;
                } else {
                    result.itlNanos.add(now - last);
                }
                last = now;
            }
            Matcher usage = COMPLETION_TOKENS.matcher(line);
            if (usage.find()) {
                result.completionTokens = Integer.parseInt(usage.group(1));
                Matcher prompt = PROMPT_TOKENS.matcher(line);
                result.promptTokens = prompt.find() ? Integer.parseInt(prompt.group(1)) : 0;
            }
            if (line.equals("data: [DONE]")) {
                result.done = true;
            }
        }
        return result;
    }

    private int promptTokens(String model) throws IOException, InterruptedException {
        return stream(model, 1).promptTokens;
    }

    private static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? "\\u%04x".formatted((int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    private static String option(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return null;
    }

    private static int intOption(String[] args, String name, int fallback) {
        String value = option(args, name);
        return value == null ? fallback : Integer.parseInt(value);
    }

    private static final class Result {
        long ttftNanos = -1;
        final List<Long> itlNanos = new ArrayList<>();
        int completionTokens;
        int promptTokens;
        boolean done;
    }

    /** One concurrency level's samples; histograms in microseconds. */
    private static final class Level {
        final Histogram ttft = new Histogram(3_600_000_000L, 3);
        final Histogram itl = new Histogram(3_600_000_000L, 3);
        int requests;
        long tokens;
        double seconds;

        synchronized void add(Result result) {
            if (!result.done) {
                return;
            }
            requests++;
            tokens += result.completionTokens;
            if (result.ttftNanos >= 0) {
                ttft.recordValue(result.ttftNanos / 1000);
            }
            result.itlNanos.forEach(nanos -> itl.recordValue(nanos / 1000));
        }

        double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    /** The simulator under test: a child JVM this benchmark started, or one already running. */
    private record Simulator(String baseUrl, Process process) implements AutoCloseable {

        record Usage(double cpuSeconds, long rssMb, long peakRssMb) {
        }

        static Simulator attach(String url) {
            return new Simulator(url, null);
        }

        static Simulator start(boolean instant) throws Exception {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-XX:+UseSerialGC",
                    "dev.genaiplatform.simulator.LlmSimulatorApplication", "--server.port=" + port, "--management.server.port=" + port,
                    "--logging.level.root=WARN")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target", "bench-simulator.log").toFile()));
            builder.environment().put("SIM_INSPECTION_CAPACITY", "0");
            if (instant) {
                builder.environment().put("SIM_TIME_TO_FIRST_TOKEN_MS", "0");
                builder.environment().put("SIM_INTER_TOKEN_MS", "0");
            } else {
                builder.environment().remove("SIM_TIME_TO_FIRST_TOKEN_MS");
                builder.environment().remove("SIM_INTER_TOKEN_MS");
            }
            Simulator simulator = new Simulator("http://127.0.0.1:" + port, builder.start());
            simulator.awaitReady();
            return simulator;
        }

        private void awaitReady() throws Exception {
            HttpClient client = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health/readiness")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("The simulator did not become ready; see target/bench-simulator.log");
        }

        Usage usage() throws IOException {
            if (process == null) {
                return new Usage(Double.NaN, -1, -1);
            }
            double cpu = process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
            long rss = -1;
            long peak = -1;
            Path status = Path.of("/proc", Long.toString(process.pid()), "status");
            if (Files.exists(status)) {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        rss = kilobytes(line) / 1024;
                    } else if (line.startsWith("VmHWM:")) {
                        peak = kilobytes(line) / 1024;
                    }
                }
            }
            return new Usage(cpu, rss, peak);
        }

        private static long kilobytes(String line) {
            return Long.parseLong(line.replaceAll("\\D", ""));
        }

        @Override
        public void close() {
            if (process != null) {
                process.destroy();
            }
        }
    }
}
