package dev.genaiplatform.simulator.bench;

import static dev.genaiplatform.simulator.bench.TwoBuilds.QUESTIONS;
import static dev.genaiplatform.simulator.bench.TwoBuilds.ask;
import static dev.genaiplatform.simulator.bench.TwoBuilds.blankIdAndTime;
import static dev.genaiplatform.simulator.bench.TwoBuilds.cpuTicks;
import static dev.genaiplatform.simulator.bench.TwoBuilds.loadAverage;
import static dev.genaiplatform.simulator.bench.TwoBuilds.orchestratorRequest;
import static dev.genaiplatform.simulator.bench.TwoBuilds.resource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a test: what one answer costs two simulator processes already running (a "before" and an "after" build, both
 * started with {@code SIM_TIME_TO_FIRST_TOKEN_MS=0 SIM_INTER_TOKEN_MS=0}), streamed ({@code stream_options.include_usage})
 * and whole, with the orchestrator's request: a new canary line, the grounded instructions and the retrieved passages
 * ({@code prompts/platform-system-message.txt}), one of four questions (README "Wave 10"). Blocks alternate variant and
 * mode, and which variant goes first alternates too. Per block: the process's CPU (user + system, {@code /proc/<pid>/stat})
 * divided by its answers; per answer: the time until the client has read the whole body. Both builds are first asked
 * every question, streamed and whole, and must send the same bytes (id and creation time blanked). Arguments:
 * before-url before-pid after-url after-pid [answers per block = 300] [blocks = 6] [clients = 1].
 */
public final class StreamCostBenchmark {

    private static final List<String> VARIANTS = List.of("before", "after");
    private static final List<Boolean> MODES = List.of(true, false);

    public static void main(String[] args) throws Exception {
        List<String> urls = List.of(args[0], args[2]);
        List<Long> pids = List.of(Long.parseLong(args[1]), Long.parseLong(args[3]));
        int answers = args.length > 4 ? Integer.parseInt(args[4]) : 300;
        int blocks = args.length > 5 ? Integer.parseInt(args[5]) : 6;
        int clients = args.length > 6 ? Integer.parseInt(args[6]) : 1;
        String system = resource("/prompts/platform-system-message.txt");

        for (boolean stream : MODES) {
            for (int q = 0; q < QUESTIONS.size(); q++) {
                String body = orchestratorRequest(system, "cnry-" + q, QUESTIONS.get(q), stream);
                String before = blankIdAndTime(ask(urls.get(0), body));
                String after = blankIdAndTime(ask(urls.get(1), body));
                if (!before.equals(after)) {
                    throw new IllegalStateException("the answers differ for " + QUESTIONS.get(q) + ":\n" + before + "\n---\n" + after);
                }
            }
        }
        System.out.printf(Locale.ROOT, "same bytes from both for %d questions, streamed and whole; %d answers per block, %d blocks,"
                + " %d clients, load %s%n", QUESTIONS.size(), answers, blocks, clients, loadAverage());

        AtomicInteger serial = new AtomicInteger();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, List<Double>> latency = new LinkedHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int block = -1; block < blocks; block++) {
                for (boolean stream : MODES) {
                    for (int turn = 0; turn < 2; turn++) {
                        int variant = (block + turn + 2) % 2; // the variant that goes first alternates block by block
                        String key = VARIANTS.get(variant) + (stream ? " streamed" : " whole");
                        String url = urls.get(variant);
                        List<Double> millis = Collections.synchronizedList(new ArrayList<>());
                        long ticks = cpuTicks(pids.get(variant));
                        AtomicInteger left = new AtomicInteger(answers);
                        List<Future<?>> running = new ArrayList<>();
                        for (int c = 0; c < clients; c++) {
                            running.add(pool.submit(() -> {
                                while (left.getAndDecrement() > 0) {
                                    int n = serial.incrementAndGet();
                                    String body = orchestratorRequest(system, "cnry-" + Integer.toHexString(n * 40_503),
                                            QUESTIONS.get(n % QUESTIONS.size()), stream);
                                    long start = System.nanoTime();
                                    ask(url, body);
                                    millis.add((System.nanoTime() - start) / 1e6);
                                }
                                return null;
                            }));
                        }
                        for (Future<?> f : running) {
                            f.get();
                        }
                        if (block >= 0) { // block -1 warms both up
                            cpu.computeIfAbsent(key, k -> new ArrayList<>())
                                    .add((cpuTicks(pids.get(variant)) - ticks) * 10.0 / answers); // CLK_TCK 100: 10 ms a tick
                            latency.computeIfAbsent(key, k -> new ArrayList<>()).addAll(millis);
                        }
                    }
                }
            }
        }
        for (boolean stream : MODES) {
            String mode = stream ? " streamed" : " whole";
            double[] means = new double[2];
            double[] p50s = new double[2];
            for (int variant = 0; variant < 2; variant++) {
                String key = VARIANTS.get(variant) + mode;
                List<Double> perBlock = cpu.get(key);
                means[variant] = perBlock.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                double[] sorted = latency.get(key).stream().mapToDouble(Double::doubleValue).sorted().toArray();
                p50s[variant] = percentile(sorted, 50);
                System.out.printf(Locale.ROOT, "%-16s CPU per answer (ms) per block %s, mean %.2f; latency p50 %.2f ms, p90 %.2f ms%n",
                        key, perBlock.stream().map(ms -> String.format(Locale.ROOT, "%.2f", ms)).toList(), means[variant],
                        p50s[variant], percentile(sorted, 90));
            }
            System.out.printf(Locale.ROOT, "%-16s after/before: CPU %.2f, latency p50 %.2f%n", mode.strip(), means[1] / means[0],
                    p50s[1] / p50s[0]);
        }
        System.out.println("load at the end " + loadAverage());
    }

    private static double percentile(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** The orchestrator's request: a canary line above the grounded instructions; streamed with usage, or whole. */
    private StreamCostBenchmark() {
    }
}
