package dev.genaiplatform.simulator.bench;

import static dev.genaiplatform.simulator.bench.TwoBuilds.QUESTIONS;
import static dev.genaiplatform.simulator.bench.TwoBuilds.ask;
import static dev.genaiplatform.simulator.bench.TwoBuilds.blankIdAndTime;
import static dev.genaiplatform.simulator.bench.TwoBuilds.cpuTicks;
import static dev.genaiplatform.simulator.bench.TwoBuilds.orchestratorRequest;
import static dev.genaiplatform.simulator.bench.TwoBuilds.resource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a test: the CPU one instant answer costs two simulator processes already running (a "before" and an "after"
 * build, started with {@code SIM_TIME_TO_FIRST_TOKEN_MS=0 SIM_INTER_TOKEN_MS=0}), driven in alternating blocks with the
 * orchestrator's request: a streamed answer with usage, the system message a new canary line plus the grounded
 * instructions (the orchestrator's {@code grounded-answer-v2.st}) and five passages of retrieval's README (about 4,100
 * characters, {@code prompts/platform-system-message.txt}), one of four questions (README "Wave 8"). CPU is the process's user + system time
 * from {@code /proc/<pid>/stat} (Linux) over each block, divided by the answers. Before timing, every question is
 * asked of both with the same canary and the two streams are compared with the id and the creation time blanked:
 * the answer, its chunks and its usage must be the same text. Arguments: before-url before-pid after-url after-pid
 * [answers per block = 600] [blocks per variant = 5] [clients = 4] [system message resource].
 */
public final class AnswerCpuBenchmark {


    public static void main(String[] args) throws Exception {
        List<String> urls = List.of(args[0], args[2]);
        List<Long> pids = List.of(Long.parseLong(args[1]), Long.parseLong(args[3]));
        int answers = args.length > 4 ? Integer.parseInt(args[4]) : 600;
        int blocks = args.length > 5 ? Integer.parseInt(args[5]) : 5;
        int clients = args.length > 6 ? Integer.parseInt(args[6]) : 4;
        String system = resource(args.length > 7 ? args[7] : "/prompts/platform-system-message.txt");

        for (int q = 0; q < QUESTIONS.size(); q++) {
            String body = orchestratorRequest(system, "cnry-" + q, QUESTIONS.get(q), true);
            String before = blankIdAndTime(ask(urls.get(0), body));
            String after = blankIdAndTime(ask(urls.get(1), body));
            if (!before.equals(after)) {
                throw new IllegalStateException("the answers differ for " + QUESTIONS.get(q) + ":\n" + before + "\n---\n" + after);
            }
        }
        System.out.printf(Locale.ROOT, "same streams from both for %d questions; %d answers per block, %d blocks, %d clients, load %s%n",
                QUESTIONS.size(), answers, blocks, clients, Files.readString(Path.of("/proc/loadavg")).trim());

        AtomicInteger serial = new AtomicInteger();
        double[][] cpu = new double[2][blocks];
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int block = -1; block < blocks; block++) {
                for (int variant = 0; variant < 2; variant++) {
                    String url = urls.get(variant);
                    long ticks = cpuTicks(pids.get(variant));
                    List<Future<?>> running = new ArrayList<>();
                    AtomicInteger left = new AtomicInteger(answers);
                    for (int c = 0; c < clients; c++) {
                        running.add(pool.submit(() -> {
                            while (left.getAndDecrement() > 0) {
                                int n = serial.incrementAndGet();
                                ask(url, orchestratorRequest(system, "cnry-" + Integer.toHexString(n * 40_503),
                                        QUESTIONS.get(n % QUESTIONS.size()), true));
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : running) {
                        f.get();
                    }
                    if (block >= 0) {
                        cpu[variant][block] = (cpuTicks(pids.get(variant)) - ticks) * 1000.0 / 100 / answers; // CLK_TCK 100
                    }
                }
            }
        }
        for (int variant = 0; variant < 2; variant++) {
            double mean = 0;
            for (double ms : cpu[variant]) {
                mean += ms / blocks;
            }
            List<String> perBlock = new ArrayList<>();
            for (double ms : cpu[variant]) {
                perBlock.add(String.format(Locale.ROOT, "%.2f", ms));
            }
            System.out.printf(Locale.ROOT, "%-6s CPU per answer (ms) per block %s, mean %.2f%n", variant == 0 ? "before" : "after",
                    perBlock, mean);
        }
        System.out.println("load at the end " + Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private AnswerCpuBenchmark() {
    }
}
