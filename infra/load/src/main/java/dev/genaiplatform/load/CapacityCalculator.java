package dev.genaiplatform.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * From a workload (requests/s, prompt and answer tokens, cache hit rate) and a latency objective, derives
 * what serving it takes: provider quota, GPUs for self-hosted serving, replicas per service, Kafka
 * partitions and Redis operations. docs/capacity.md explains each formula. Runs without a build:
 *
 * <pre>java infra/load/src/main/java/dev/genaiplatform/load/CapacityCalculator.java --rps 50 --prompt-tokens 800 \
 *      --answer-tokens 200 --cache-hit-rate 0.2 --slo-ttft-ms 800</pre>
 *
 * Impossible parameters (a negative rate, a hit rate of 1, a prompt longer than the model's cache, an
 * objective no batch size can meet) are refused with a message that says which and why.
 */
public final class CapacityCalculator {

    /**
     * A model server's profile, as the simulator's {@code platform.simulator.models[*].serving} keys.
     *
     * @param prefillTokensPerSecond  prompt tokens prefilled per second
     * @param decodeStepMs            one decode step with a batch of one
     * @param decodeStepPerSequenceMs what each further sequence adds to a step
     * @param kvCacheTokens           tokens the KV cache of one server (one GPU) holds
     * @param maxRunningSequences     most sequences decoded together
     * @param kvBytesPerToken         KV cache bytes per token (128 KiB: a Llama-3-8B-shaped model)
     */
    public record ServingProfile(double prefillTokensPerSecond, double decodeStepMs, double decodeStepPerSequenceMs,
                                 int kvCacheTokens, int maxRunningSequences, long kvBytesPerToken) {

        static final Map<String, ServingProfile> SIMULATOR = Map.of(
                "sim-small", new ServingProfile(40_000, 12, 0.150, 131_072, 64, 128 * 1024),
                "sim-large", new ServingProfile(12_000, 30, 0.400, 32_768, 64, 128 * 1024));
    }

    /**
     * The workload and the objective.
     *
     * @param requestsPerSecond peak requests per second at the gateway
     * @param promptTokens      prompt tokens per model call (question, history, retrieved passages)
     * @param answerTokens      generated tokens per model call
     * @param cacheHitRate      share of requests the semantic cache answers (0 ≤ h &lt; 1)
     * @param sloTtftMs         time-to-first-token objective for the model server, in ms
     * @param headroom          target utilisation of every resource (0.7: scale before 70 % busy)
     * @param profile           the model server
     * @param cpuMsPerRequest   CPU milliseconds per request, per service (measured: docs/capacity.md)
     * @param coresPerReplica   CPU cores one replica of a service gets
     * @param kafkaMessagesPerRequest records produced per request (commands, replies, events)
     * @param redisOpsPerRequest Redis commands per request besides the cache (rate limit, budget)
     * @param machineCores      cores of one machine running everything (the one-command platform)
     * @param atRestLatencyMs   what the platform adds to one request on an idle machine (38 ms measured at 16 requests/s, the validated sweep's default)
     * @param machineCpuMsPerRequest CPU per request of everything on the one machine (the platform, the load generator,
     *                          the kernel's network work), the slope of its busy cores against the rate; NaN: the
     *                          services' {@code cpuMsPerRequest} summed
     * @param backgroundCores   cores the one machine keeps busy whatever the rate (the intercept of that line)
     * @param criticalCpuMs     CPU a request spends on its own path from question to answer, the part queueing for a core
     *                          stretches; NaN: all of the machine's CPU per request (M/M/c on everything, pessimistic)
     */
    public record Workload(double requestsPerSecond, int promptTokens, int answerTokens, double cacheHitRate,
                           double sloTtftMs, double headroom, ServingProfile profile,
                           Map<String, Double> cpuMsPerRequest, double coresPerReplica,
                           int kafkaMessagesPerRequest, int redisOpsPerRequest, double machineCores,
                           double atRestLatencyMs, double machineCpuMsPerRequest, double backgroundCores,
                           double criticalCpuMs) {

        public Workload {
            require(requestsPerSecond > 0, "--rps must be above 0 (got " + requestsPerSecond + ")");
            require(promptTokens > 0, "--prompt-tokens must be above 0 (got " + promptTokens + ")");
            require(answerTokens > 0, "--answer-tokens must be above 0 (got " + answerTokens + ")");
            require(cacheHitRate >= 0 && cacheHitRate < 1,
                    "--cache-hit-rate must be in [0, 1): at 1 no request would reach the model (got " + cacheHitRate + ")");
            require(sloTtftMs > 0, "--slo-ttft-ms must be above 0 (got " + sloTtftMs + ")");
            require(headroom > 0 && headroom <= 1, "--headroom must be in (0, 1] (got " + headroom + ")");
            require(coresPerReplica > 0, "--cores-per-replica must be above 0");
            require(machineCores >= 1, "--machine-cores must be at least 1");
            require(atRestLatencyMs >= 0, "--at-rest-latency-ms must not be negative");
            require(Double.isNaN(machineCpuMsPerRequest) || machineCpuMsPerRequest > 0, "--machine-cpu-ms must be above 0");
            require(backgroundCores >= 0 && backgroundCores < machineCores,
                    "--background-cores must be from 0 to less than --machine-cores (got " + backgroundCores + ")");
            require(Double.isNaN(criticalCpuMs) || criticalCpuMs >= 0, "--critical-cpu-ms must not be negative");
            require(kafkaMessagesPerRequest >= 0 && redisOpsPerRequest >= 0, "messages and operations must not be negative");
            require(promptTokens + answerTokens <= profile.kvCacheTokens(), "a request of " + (promptTokens + answerTokens)
                    + " tokens does not fit the model server's KV cache of " + profile.kvCacheTokens() + " tokens");
            cpuMsPerRequest = Collections.unmodifiableMap(new LinkedHashMap<>(cpuMsPerRequest));
        }
    }

    /** How one model server behaves at a given batch size (Little's law over the continuous-batching loop). */
    public record ServerPoint(int batch, double stepMs, double prefillShare, double ttftMs, double interTokenMs,
                              double requestsPerSecond) {
    }

    /** Everything derived. */
    public record Plan(double modelCallsPerSecond, long providerRpm, long providerTpm, ServerPoint server, int gpus,
                       double kvCacheGibPerGpu, Map<String, Integer> replicas, int kafkaPartitions, long redisOpsPerSecond,
                       double platformCores, double brokerCores, double oneMachineSaturation,
                       double oneMachineUtilisation, double oneMachineLatencyMs) {

        /** Whether the one machine can carry the rate at all (below 100 % busy). */
        public boolean oneMachineKeepsUp() {
            return oneMachineUtilisation < 1;
        }
    }

    /**
     * The default service costs: CPU per request on 2 cores with an instant model, measured at load (34 requests/s,
     * 8 clients, 2026-12-06), the inputs of the sweep docs/capacity.md validated the model against (41.4 ms in
     * all; tools-agent's 1.3 ms in that window is its idle background, not chat work, and has no term). A cost
     * measured at a low rate is higher (JIT, fixed costs spread over fewer requests): pass your own with --cpu-ms.
     */
    public static final Map<String, Double> MEASURED_CPU_MS = orderedMap(
            "gateway", 4.3, "orchestrator", 13.4, "retrieval", 3.4, "guardrails", 6.1, "evaluation", 2.4,
            "kafka", 5.9, "llm-simulator", 5.9);

    /** Services whose work scales with model calls (cache misses), not with every request. */
    private static final List<String> PER_MODEL_CALL = List.of("retrieval", "llm-simulator");

    public static Plan plan(Workload w) {
        double modelCalls = w.requestsPerSecond() * (1 - w.cacheHitRate());
        ServerPoint best = bestServerPoint(w);
        int gpus = (int) Math.ceil(modelCalls / (best.requestsPerSecond() * w.headroom()));
        Map<String, Integer> replicas = new LinkedHashMap<>();
        double cores = 0;
        double brokerCores = 0;
        for (var cost : w.cpuMsPerRequest().entrySet()) {
            double rate = PER_MODEL_CALL.contains(cost.getKey()) ? modelCalls : w.requestsPerSecond();
            double serviceCores = rate * cost.getValue() / 1000;
            cores += serviceCores;
            if (cost.getKey().equals("kafka")) {
                brokerCores = serviceCores;
                continue;
            }
            // two at least: one replica is a single point of failure, whatever the load
            replicas.put(cost.getKey(), Math.max(2, (int) Math.ceil(serviceCores / (w.coresPerReplica() * w.headroom()))));
        }
        int maxConsumers = replicas.values().stream().mapToInt(Integer::intValue).max().orElse(1);
        // ~1,000 small records/s per partition keeps per-partition latency low; never fewer than the consumers
        double messages = w.requestsPerSecond() * w.kafkaMessagesPerRequest();
        int partitions = Math.max(maxConsumers, (int) Math.ceil(messages / 1000.0 / w.headroom()));
        long redisOps = Math.round(w.requestsPerSecond() * (w.redisOpsPerRequest() + 1 + (1 - w.cacheHitRate())));
        double kvGib = (double) w.profile().kvCacheTokens() * w.profile().kvBytesPerToken() / (1L << 30);
        // everything on one machine of `machineCores` (the one-command run): its busy cores are a line in the rate,
        // background + rate × CPU per request, and the machine saturates where the line reaches its cores
        double cpuMsPerRequest = Double.isNaN(w.machineCpuMsPerRequest()) ? cores * 1000 / w.requestsPerSecond()
                : w.machineCpuMsPerRequest();
        double criticalCpuMs = Double.isNaN(w.criticalCpuMs()) ? cpuMsPerRequest : w.criticalCpuMs();
        int servers = (int) Math.floor(w.machineCores());
        double utilisation = (w.backgroundCores() + w.requestsPerSecond() * cpuMsPerRequest / 1000) / servers;
        double latency = utilisation < 1
                ? w.atRestLatencyMs() + criticalCpuMs * queueingStretch(servers, utilisation) : Double.NaN;
        return new Plan(modelCalls, (long) Math.ceil(modelCalls * 60 / w.headroom()),
                (long) Math.ceil(modelCalls * 60 * (w.promptTokens() + w.answerTokens()) / w.headroom()),
                best, gpus, kvGib, Collections.unmodifiableMap(replicas), partitions, redisOps, cores, brokerCores,
                (w.machineCores() - w.backgroundCores()) * 1000 / cpuMsPerRequest, utilisation, latency);
    }

    /**
     * What queueing for a core adds to each millisecond of CPU on a request's path, on {@code servers} cores busy
     * {@code utilisation} of the time: {@code C(c, a) / (c (1 − ρ))} with {@code a = c ρ} and C Erlang's C formula.
     * <p>
     * For M/M/c (first come, first served, exponential service) it is the mean wait over the mean service time. The
     * operating system does not serve a core first come, first served: it shares the cores among the runnable threads
     * (processor sharing, each of n jobs at min(1, c/n) of a core). That queue is symmetric, so its number of jobs has
     * M/M/c's distribution whatever the service times' distribution (insensitivity: Kelly 1979, Reversibility and
     * Stochastic Networks, ch. 3), and a job's mean time in it is linear in its work (Cohen 1979, "The multiple phase
     * service network with generalized processor sharing"): x of CPU takes x (1 + this) on average. So the many short,
     * far from exponential CPU visits of a request are stretched by the same factor, and the model needs only the
     * mean CPU on the path, not its distribution. Arrivals must be Poisson (the validation sweep's are).
     */
    static double queueingStretch(int servers, double utilisation) {
        double offered = utilisation * servers; // a = λ·s, in busy cores
        double term = 1;
        double sum = 1; // k = 0
        for (int k = 1; k < servers; k++) {
            term *= offered / k;
            sum += term;
        }
        double last = term * offered / servers / (1 - utilisation); // a^c / c! / (1 − ρ)
        double erlangC = last / (sum + last);
        return erlangC / (servers * (1 - utilisation));
    }

    /**
     * The batch size that serves the most requests per second per server while meeting the TTFT objective.
     * At batch B a decode step lasts {@code decodeStep + perSequence × (B − 1)}; prefilling newcomers takes a
     * share f = λ·P / prefillRate of the server's time and stretches every step by 1 / (1 − f); a request
     * holds its slot for TTFT + A × ITL, so by Little's law λ = B / (TTFT + A × ITL). λ and f depend on each
     * other: iterate to the fixed point.
     */
    static ServerPoint bestServerPoint(Workload w) {
        ServingProfile p = w.profile();
        int maxBatch = Math.min(p.maxRunningSequences(), p.kvCacheTokens() / (w.promptTokens() + w.answerTokens()));
        double ownPrefillMs = w.promptTokens() * 1000.0 / p.prefillTokensPerSecond();
        double fastestTtft = ownPrefillMs + p.decodeStepMs();
        require(fastestTtft <= w.sloTtftMs(), String.format(Locale.ROOT,
                "--slo-ttft-ms %.0f cannot be met: even on an idle server the prompt's prefill (%.1f ms) and one "
                + "decode step (%.1f ms) take %.1f ms", w.sloTtftMs(), ownPrefillMs, p.decodeStepMs(), fastestTtft));
        ServerPoint best = null;
        for (int batch = 1; batch <= maxBatch; batch++) {
            ServerPoint point = at(batch, w);
            if (point != null && point.ttftMs() <= w.sloTtftMs()
                    && (best == null || point.requestsPerSecond() > best.requestsPerSecond())) {
                best = point;
            }
        }
        return best != null ? best : at(1, w);
    }

    static ServerPoint at(int batch, Workload w) {
        ServingProfile p = w.profile();
        double stepMs = p.decodeStepMs() + p.decodeStepPerSequenceMs() * (batch - 1);
        double prefillMsPerRequest = w.promptTokens() * 1000.0 / p.prefillTokensPerSecond();
        double rate = 0;
        double share = 0;
        for (int i = 0; i < 50; i++) {
            share = Math.min(0.95, rate * prefillMsPerRequest / 1000);
            double itl = stepMs / (1 - share);
            double ttft = prefillMsPerRequest + itl;
            rate = batch / ((ttft + w.answerTokens() * itl) / 1000);
        }
        double itl = stepMs / (1 - share);
        return share >= 0.95 ? null
                : new ServerPoint(batch, stepMs, share, prefillMsPerRequest + itl, itl, rate);
    }

    public static void main(String[] args) {
        try {
            Workload workload = parse(args);
            System.out.print(render(workload, plan(workload)));
        } catch (IllegalArgumentException e) {
            System.err.println("capacity: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    static final String USAGE = """
            usage: CapacityCalculator --rps N --prompt-tokens N --answer-tokens N [--cache-hit-rate 0..1)
                   [--slo-ttft-ms MS] [--model sim-small|sim-large] [--headroom 0.7] [--cores-per-replica 1]
                   [--kafka-messages-per-request 5] [--redis-ops-per-request 3] [--cpu-ms <service>=<ms>,...]
                   [--machine-cores 2] [--at-rest-latency-ms 38] [--machine-cpu-ms MS (default: the --cpu-ms sum)]
                   [--background-cores 0] [--critical-cpu-ms MS (default: all the CPU per request)]""";

    static Workload parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            require(args[i].startsWith("--") && i + 1 < args.length, "expected '--name value', got '" + args[i] + "'");
            options.put(args[i].substring(2), args[++i]);
        }
        List<String> known = List.of("rps", "prompt-tokens", "answer-tokens", "cache-hit-rate", "slo-ttft-ms", "model",
                "headroom", "cores-per-replica", "kafka-messages-per-request", "redis-ops-per-request", "cpu-ms",
                "machine-cores", "at-rest-latency-ms", "machine-cpu-ms", "background-cores", "critical-cpu-ms");
        List<String> unknown = new ArrayList<>(options.keySet());
        unknown.removeAll(known);
        require(unknown.isEmpty(), "unknown option(s) " + unknown);
        require(options.containsKey("rps") && options.containsKey("prompt-tokens") && options.containsKey("answer-tokens"),
                "--rps, --prompt-tokens and --answer-tokens are required");
        String model = options.getOrDefault("model", "sim-small");
        ServingProfile profile = ServingProfile.SIMULATOR.get(model);
        require(profile != null, "--model must be one of " + ServingProfile.SIMULATOR.keySet() + ", not " + model);
        Map<String, Double> cpu = new LinkedHashMap<>(MEASURED_CPU_MS);
        if (options.containsKey("cpu-ms")) {
            for (String pair : options.get("cpu-ms").split(",")) {
                String[] kv = pair.split("=");
                require(kv.length == 2 && cpu.containsKey(kv[0]), "--cpu-ms takes service=ms pairs for " + cpu.keySet());
                double ms = number(kv[1], "--cpu-ms " + kv[0]);
                require(ms >= 0, "--cpu-ms " + kv[0] + " must not be negative");
                cpu.put(kv[0], ms);
            }
        }
        return new Workload(number(options.get("rps"), "--rps"), whole(options.get("prompt-tokens"), "--prompt-tokens"),
                whole(options.get("answer-tokens"), "--answer-tokens"),
                number(options.getOrDefault("cache-hit-rate", "0"), "--cache-hit-rate"),
                number(options.getOrDefault("slo-ttft-ms", "1000"), "--slo-ttft-ms"),
                number(options.getOrDefault("headroom", "0.7"), "--headroom"), profile, cpu,
                number(options.getOrDefault("cores-per-replica", "1"), "--cores-per-replica"),
                whole(options.getOrDefault("kafka-messages-per-request", "5"), "--kafka-messages-per-request"),
                whole(options.getOrDefault("redis-ops-per-request", "3"), "--redis-ops-per-request"),
                number(options.getOrDefault("machine-cores", "2"), "--machine-cores"),
                number(options.getOrDefault("at-rest-latency-ms", "38"), "--at-rest-latency-ms"),
                number(options.getOrDefault("machine-cpu-ms", "NaN"), "--machine-cpu-ms", true),
                number(options.getOrDefault("background-cores", "0"), "--background-cores"),
                number(options.getOrDefault("critical-cpu-ms", "NaN"), "--critical-cpu-ms", true));
    }

    static String render(Workload w, Plan plan) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Workload: %.1f requests/s, %d prompt + %d answer tokens, cache hit rate %.0f %%, "
                        + "TTFT objective %.0f ms, headroom %.0f %%%n%n", w.requestsPerSecond(), w.promptTokens(),
                w.answerTokens(), w.cacheHitRate() * 100, w.sloTtftMs(), w.headroom() * 100));
        out.append(String.format(Locale.ROOT, "Model calls:        %.1f/s (cache misses)%n", plan.modelCallsPerSecond()));
        out.append(String.format(Locale.ROOT, "Provider quota:     %,d RPM, %,d TPM (with headroom)%n", plan.providerRpm(), plan.providerTpm()));
        ServerPoint s = plan.server();
        out.append(String.format(Locale.ROOT, "Self-hosted:        %d GPU(s); each at batch %d: %.1f requests/s, TTFT %.0f ms, "
                        + "inter-token %.1f ms, prefill %.0f %% of its time, KV cache %.1f GiB%n", plan.gpus(), s.batch(),
                s.requestsPerSecond(), s.ttftMs(), s.interTokenMs(), s.prefillShare() * 100, plan.kvCacheGibPerGpu()));
        out.append(String.format(Locale.ROOT, "Platform CPU:       %.2f cores in all (%.1f ms per request); one %.0f-core "
                + "machine running everything saturates at %.0f requests/s%n", plan.platformCores(),
                plan.platformCores() * 1000 / w.requestsPerSecond(), w.machineCores(), plan.oneMachineSaturation()));
        if (!Double.isNaN(w.machineCpuMsPerRequest())) {
            out.append(String.format(Locale.ROOT, "  (the machine: %.2f cores of background + %.1f ms of CPU per request, "
                    + "the load generator's included)%n", w.backgroundCores(), w.machineCpuMsPerRequest()));
        }
        out.append(plan.oneMachineKeepsUp()
                ? String.format(Locale.ROOT, "One machine at %.1f requests/s: %.0f %% busy, mean latency added by the "
                        + "platform about %.0f ms (%.0f at rest + queueing for a core, %s)%n", w.requestsPerSecond(),
                        plan.oneMachineUtilisation() * 100, plan.oneMachineLatencyMs(), w.atRestLatencyMs(),
                        Double.isNaN(w.criticalCpuMs()) ? "on all the CPU per request"
                                : String.format(Locale.ROOT, "on the %.1f ms of CPU on the request's path", w.criticalCpuMs()))
                : String.format(Locale.ROOT, "One machine at %.1f requests/s: saturated (%.0f %% of its cores): "
                        + "requests queue without bound%n", w.requestsPerSecond(), plan.oneMachineUtilisation() * 100));
        plan.replicas().forEach((service, n) -> out.append(String.format(Locale.ROOT, "  %-16s %d replicas%n", service, n)));
        out.append(String.format(Locale.ROOT, "Kafka:              %d partitions per request topic, %.2f broker cores%n",
                plan.kafkaPartitions(), plan.brokerCores()));
        out.append(String.format(Locale.ROOT, "Redis:              %,d operations/s%n", plan.redisOpsPerSecond()));
        return out.toString();
    }

    private static double number(String text, String name) {
        return number(text, name, false);
    }

    /** {@code notGiven}: NaN stands for an option left out (its default is derived from the others). */
    private static double number(String text, String name, boolean notGiven) {
        if (notGiven && text.equals("NaN")) {
            return Double.NaN;
        }
        try {
            double value = Double.parseDouble(text);
            require(Double.isFinite(value), name + " must be a finite number, not " + text);
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not '" + text + "'");
        }
    }

    private static int whole(String text, String name) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + text + "'");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static Map<String, Double> orderedMap(Object... pairs) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Double) pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    private CapacityCalculator() {
    }
}
