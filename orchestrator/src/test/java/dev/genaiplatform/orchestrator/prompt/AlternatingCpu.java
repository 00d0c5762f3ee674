package dev.genaiplatform.orchestrator.prompt;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The prompt benchmarks' one way to compare ways of doing the same work in one JVM: the ways take turns in 22
 * rounds of 2,000 calls each (the first two rounds warm up), each round's CPU read from this thread's clock, and
 * each way's median per call is reported. Taking turns puts the machine's load on every way alike.
 */
final class AlternatingCpu {

    private static final int ROUNDS = 22;
    private static final int WARM_UP_ROUNDS = 2;
    private static final int CALLS = 2_000;

    private AlternatingCpu() {
    }

    /** Each way's median CPU per call in µs, in the ways' order. */
    static Map<String, Double> medianMicros(Map<String, IntSupplier> ways) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, List<Double>> perCall = new LinkedHashMap<>();
        int sink = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (Map.Entry<String, IntSupplier> way : ways.entrySet()) {
                long cpu = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < CALLS; i++) {
                    sink += way.getValue().getAsInt();
                }
                if (round >= WARM_UP_ROUNDS) {
                    perCall.computeIfAbsent(way.getKey(), k -> new ArrayList<>())
                            .add((threads.getCurrentThreadCpuTime() - cpu) / (double) CALLS / 1000.0);
                }
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        perCall.forEach((way, values) ->
                medians.put(way, values.stream().mapToDouble(Double::doubleValue).sorted().toArray()[values.size() / 2]));
        if (sink == 42) {
            System.out.print(' '); // keeps the results in use, so the JIT cannot drop the calls
        }
        return medians;
    }

    /** The medians as the rows of a Markdown table. */
    static String rows(Map<String, Double> medians) {
        StringBuilder rows = new StringBuilder();
        medians.forEach((way, micros) -> rows.append(String.format(Locale.ROOT, "| %s | %.1f |%n", way, micros)));
        return rows.toString();
    }
}
