package dev.genaiplatform.load;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The capacity model's two measured inputs, read from what {@code infra/load/cpu-per-request.sh} prints: CPU
 * milliseconds per answered request for every platform process, and the latency of one request on an idle
 * platform (the sequential requests through the gateway that end its run).
 *
 * @param cpuMsPerProcess   CPU ms per request by process, as the script names them ({@code launcher} holds the broker)
 * @param requestsPerSecond the rate its closed clients reached while CPU was measured
 * @param atRestMeanMs      mean of the sequential requests through the gateway
 * @param atRestP50Ms       their median
 * @param atRestP99Ms       their 99th percentile
 * @param loadAverage       the machine's load average when the window ended
 */
public record MeasuredInputs(Map<String, Double> cpuMsPerProcess, double requestsPerSecond, double atRestMeanMs,
                             double atRestP50Ms, double atRestP99Ms, String loadAverage) {

    /** Processes of the script and the calculator's term each one is. tools-agent does no chat work: no term. */
    private static final Map<String, String> CALCULATOR_TERM = Map.of(
            "gateway", "gateway", "orchestrator", "orchestrator", "retrieval", "retrieval", "guardrails", "guardrails",
            "evaluation", "evaluation", "llm-simulator", "llm-simulator", "launcher", "kafka");

    private static final Pattern LOAD_LINE = Pattern.compile(
            "load average ([\\d. ]+); .*?(\\d+) answers 200 .*?, ([\\d.]+) requests/s");
    private static final Pattern PROCESS_LINE = Pattern.compile("(?m)^\\s+([a-z-]+)\\s+([\\d.]+) ms CPU per request$");
    private static final Pattern SEQUENTIAL_LINE = Pattern.compile(
            "through the gateway p50 ([\\d.]+) / p99 ([\\d.]+) ms \\(mean ([\\d.]+)\\)");

    public MeasuredInputs {
        cpuMsPerProcess = Collections.unmodifiableMap(new LinkedHashMap<>(cpuMsPerProcess));
    }

    static MeasuredInputs parse(String output) {
        Matcher load = LOAD_LINE.matcher(output);
        Matcher sequential = SEQUENTIAL_LINE.matcher(output);
        if (!load.find() || !sequential.find()) {
            throw new IllegalArgumentException("cpu-per-request.sh printed no measurement this program can read "
                    + "(a load line and a sequential line with a mean)");
        }
        Map<String, Double> cpu = new LinkedHashMap<>();
        Matcher process = PROCESS_LINE.matcher(output);
        while (process.find()) {
            if (!process.group(1).equals("all")) {
                cpu.put(process.group(1), Double.parseDouble(process.group(2)));
            }
        }
        for (String name : CALCULATOR_TERM.keySet()) {
            if (!cpu.containsKey(name)) {
                throw new IllegalArgumentException("cpu-per-request.sh measured no CPU for " + name
                        + ": the model needs every process of the platform running on this machine");
            }
        }
        return new MeasuredInputs(cpu, Double.parseDouble(load.group(3)), Double.parseDouble(sequential.group(3)),
                Double.parseDouble(sequential.group(1)), Double.parseDouble(sequential.group(2)), load.group(1).strip());
    }

    /** The calculator's {@code --cpu-ms} terms: the launcher's CPU is the broker's, and tools-agent has none. */
    Map<String, Double> calculatorCpuMs() {
        Map<String, Double> terms = new LinkedHashMap<>();
        cpuMsPerProcess.forEach((process, ms) -> {
            String term = CALCULATOR_TERM.get(process);
            if (term != null) {
                terms.put(term, ms);
            }
        });
        return terms;
    }

    /** CPU per request the calculator counts (every process but those without a term). */
    double modelledCpuMs() {
        return calculatorCpuMs().values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
