package dev.genaiplatform.orchestrator.chat;

import com.sun.management.OperatingSystemMXBean;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.orchestrator.OrchestratorApplication;
import dev.genaiplatform.orchestrator.support.TestRedis;
import dev.genaiplatform.orchestrator.support.TestTokens;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test (no assertions on time): the side-by-side measurement of what one request costs the orchestrator, in
 * CPU and in latency at rest, run on demand with {@code ./mvnw -B -q -pl orchestrator -am verify
 * -Dit.test=RequestCostBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>Two orchestrators in this one JVM on the same broker, Redis and fake model: "before" with the switchable cuts
 * undone, "after" as shipped. {@code -DrequestCost.wave=9} undoes wave 9's ({@code messaging.command-spans=true}: a
 * producer span and a timer per command to guardrails and retrieval); {@code -DrequestCost.wave=8} (the default) undoes
 * wave 8's
 * ({@code cache.reactive-hits=false}: every request hops to a virtual thread;
 * {@code benchmark.stream-through-chat-client=true}: the answer streams through ChatClient and its hop to
 * {@code boundedElastic}); {@code -DrequestCost.wave=7} undoes
 * wave 7's ({@code security-observations=true}, {@code prompt.passage-token-memo=0}) and wave 8's.
 * Sequential requests from one client, alternating blocks of cache hits and misses (instant model; guardrails and
 * retrieval played by listeners in the JVM) between the two. CPU per request is the whole JVM's process CPU over a
 * block divided by its requests: it includes the client, the broker, the fake services and model, and the idle
 * background of the other orchestrator (Redis runs outside). Wall time per request and per stage
 * ({@code Server-Timing}) as p50/p99. {@code -DrequestCost.blocks=N} sets the number of blocks,
 * {@code -DrequestCost.hits=N} and {@code -DrequestCost.misses=N} the requests of each kind per block (0: none).
 * The broker writes offset commits at once, as the launcher's does: the stand-ins commit after every poll.
 * {@code -DrequestCost.wave=12} undoes wave 12's ({@code management.metrics.observations.ignored-meters} empty: a
 * long-task timer around every request and consumed record) and measures its cuts without a switch on their own.
 * {@code -DrequestCost.wave=sampling} measures no cut but the cost of recording spans: every request sampled
 * ("before", the module's default for a request without a trace context) against none ("after").
 * Any other value (e.g. {@code same}) starts two identical sides: an A/A run, to see the harness's own bias.
 * {@code -DrequestCost.only=after} starts the "after" side alone; {@code -DrequestCost.jfr=/tmp/x.jfr} writes a JFR
 * profile of the measured blocks.
 */
@EmbeddedKafka(partitions = 3, brokerProperties = "group.coordinator.append.linger.ms=0", topics = {Topics.GUARDRAILS_CHECK_INPUT, Topics.GUARDRAILS_INPUT_CHECKED,
        Topics.GUARDRAILS_CHECK_OUTPUT, Topics.GUARDRAILS_OUTPUT_CHECKED, Topics.RETRIEVAL_SEARCH,
        Topics.RETRIEVAL_SEARCH_RESULT, Topics.CHAT_COMPLETION_RECORDED})
class RequestCostBenchmark {

    private static final int HITS_PER_BLOCK = Integer.getInteger("requestCost.hits", 200);
    private static final int MISSES_PER_BLOCK = Integer.getInteger("requestCost.misses", 50);
    private static final String BODY = """
            {"model": "sim-small", "messages": [{"role": "user", "content": "How does retrieval rank passages?"}]}""";

    private final HttpClient http = HttpClient.newHttpClient();
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    @Test
    void measure() throws Exception {
        int blocks = Integer.getInteger("requestCost.blocks", 10);
        // The fake model is the JDK's HttpServer, which leaves Nagle's algorithm on: its streamed chunks, written one
        // flush each, then wait for the client's delayed ACK (about 40 ms per answer), which the real simulator (Netty,
        // TCP_NODELAY) never does. -DrequestCost.nagle=true keeps the old behaviour.
        if (!Boolean.getBoolean("requestCost.nagle")) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        try (FakeOpenAiServer model = new FakeOpenAiServer()) {
            EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
            Map<String, Side> sides = new LinkedHashMap<>();
            String wave = System.getProperty("requestCost.wave", "8");
            boolean wave7 = "7".equals(wave);
            boolean wave9 = "9".equals(wave);
            // wave 12's switchable cut: the in-flight long-task timers around every request and consumed record
            Map<String, String> before = "12".equals(wave)
                    ? Map.of("management.metrics.observations.ignored-meters", "") : Map.of();
            // not a cut: what recording a request's spans costs, every request sampled ("before") against none
            // ("after"); behind the gateway 90 % of requests arrive unsampled (TRACING_SAMPLING_PROBABILITY=0.1)
            Map<String, String> after = "sampling".equals(wave)
                    ? Map.of("management.tracing.sampling.probability", "0.0") : Map.of();
            if (!"after".equals(System.getProperty("requestCost.only"))) {
                sides.put("before", new Side(start(broker, model, wave7, wave7 ? 0 : 2048, !"8".equals(wave) && !wave7,
                        wave9, before)));
            }
            sides.put("after", new Side(start(broker, model, false, 2048, true, false, after)));
            Thread.sleep(10_000);   // let the shared groups settle
            try {
                for (Side side : sides.values()) {
                    for (int i = 0; i < 400; i++) {   // warm-up: JIT, connections, the cache entry
                        send(side.port, TestTokens.chat("bench"), i % 2 == 0);
                    }
                }
                Recording recording = null;
                if (System.getProperty("requestCost.jfr") != null) {
                    recording = new Recording(Configuration.getConfiguration("profile"));
                    recording.start();
                }
                for (int block = 0; block < blocks; block++) {
                    List<Side> order = new ArrayList<>(sides.values());
                    if (block % 2 == 1) {
                        java.util.Collections.reverse(order);
                    }
                    for (Side side : order) {
                        run(side.hits, side.port, false, HITS_PER_BLOCK);
                        if (MISSES_PER_BLOCK > 0) {
                            run(side.misses, side.port, true, MISSES_PER_BLOCK);
                        }
                    }
                }
                if (recording != null) {
                    recording.stop();
                    recording.dump(Path.of(System.getProperty("requestCost.jfr")));
                    recording.close();
                }
                report(sides, blocks);
                System.out.println("12".equals(wave) ? wave12Cuts(sides.get("after").context) : unswitchableCuts());
            }
            finally {
                sides.values().forEach(side -> side.context.close());
            }
        }
    }

    private ConfigurableApplicationContext start(EmbeddedKafkaBroker broker, FakeOpenAiServer model,
                                                 boolean securityObservations, int passageTokenMemo,
                                                 boolean wave8, boolean commandSpans, Map<String, String> extra) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        properties.put("spring.kafka.bootstrap-servers", broker.getBrokersAsString());
        properties.put("spring.data.redis.port", Integer.toString(TestRedis.port()));
        properties.put("platform.security.jwk-set-uri", TestTokens.jwksUri());
        properties.put("platform.orchestrator.providers.simulator.base-url", model.baseUrl());
        // as in OrchestratorOverheadBenchmark: the fake passages must not make the answer-kind rules hold answers back
        properties.put("platform.orchestrator.answer-kinds.abstain.min-relevance", "0");
        properties.put("platform.orchestrator.answer-kinds.clarify.enabled", "false");
        properties.put("logging.level.dev.genaiplatform", "WARN");
        properties.put("platform.orchestrator.security-observations", Boolean.toString(securityObservations));
        properties.put("platform.orchestrator.prompt.passage-token-memo", Integer.toString(passageTokenMemo));
        properties.put("platform.orchestrator.cache.reactive-hits", Boolean.toString(wave8));
        properties.put("platform.orchestrator.benchmark.stream-through-chat-client", Boolean.toString(!wave8));
        properties.put("platform.orchestrator.messaging.command-spans", Boolean.toString(commandSpans));
        properties.putAll(extra);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(OrchestratorApplication.class,
                ChatCompletionFlowIT.FakePlatformServices.class)
                .run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
        // reply consumers are assigned before run() returns (ReplyChannels); the fake services' groups are shared by
        // both sides and rebalance when the second joins: they start at the earliest offset, and the warm-up waits
        return context;
    }

    /**
     * One block. Every request carries a token of its own, signed before the block starts (outside the CPU measured),
     * as the gateway signs one per request: the verified-token cache cannot spare a request its signature check.
     */
    private void run(Measured measured, int port, boolean bypass, int requests) throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            tokens.add(TestTokens.chat("bench"));
        }
        long cpu = this.os.getProcessCpuTime();
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = send(port, tokens.get(i), bypass);
            measured.wall.add((System.nanoTime() - start) / 1_000_000.0);
            if (response.statusCode() != 200) {
                measured.failures++;
                System.out.println("HTTP " + response.statusCode() + ": " + response.body());
            }
            for (String entry : response.headers().firstValue("Server-Timing").orElse("").split(",\\s*")) {
                String[] parts = entry.split(";dur=");
                if (parts.length == 2) {
                    measured.stages.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Double.parseDouble(parts[1]));
                }
            }
        }
        measured.cpuPerRequest.add((this.os.getProcessCpuTime() - cpu) / 1_000_000.0 / requests);
    }

    private HttpResponse<String> send(int port, String token, boolean bypass) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
        if (bypass) {
            request.header("Cache-Control", "no-cache");
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void report(Map<String, Side> sides, int blocks) throws Exception {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n%d alternating blocks of %d hits + %d misses per side; load average %s%n",
                blocks, HITS_PER_BLOCK, MISSES_PER_BLOCK, Files.readString(Path.of("/proc/loadavg")).strip()));
        out.append("\n| side | request | CPU of the JVM per request, median of blocks / mean, ms | wall p50 / p99 ms |\n|---|---|---|---|\n");
        sides.forEach((name, side) -> {
            out.append(row(name, "cache hit", side.hits));
            out.append(row(name, "miss (instant model)", side.misses));
        });
        out.append("\n| side | request | stage | p50 ms | p99 ms |\n|---|---|---|---|---|\n");
        sides.forEach((name, side) -> {
            side.hits.stages.forEach((stage, values) -> out.append(stageRow(name, "hit", stage, values)));
            side.misses.stages.forEach((stage, values) -> out.append(stageRow(name, "miss", stage, values)));
        });
        System.out.println(out);
    }

    /**
     * The cuts that have no switch, each beside what it replaced, in this JVM: CPU of this thread per call, median
     * of 20 alternating rounds of 20,000 calls.
     */
    private static String unswitchableCuts() {
        String passage = "Retrieval ranks passages by cosine similarity of their MiniLM embeddings, then re-ranks "
                + "the top candidates with BM25 terms; ties keep the document order. See docs/architecture.md, 4.2.";
        Map<String, Runnable> ways = new LinkedHashMap<>();
        ways.put("words of a passage: split(regex) only (before)", () -> sink(regexTerms(passage)));
        ways.put("content terms of a passage: scan, stop words, stems (after)", () -> sink(dev.genaiplatform.orchestrator.answer.ContentTerms.of(passage)));
        ways.put("correlation id: UUID.randomUUID, SecureRandom (before)", () -> sink(java.util.UUID.randomUUID()));
        ways.put("correlation id: ThreadLocalRandom (after)", () -> sink(
                dev.genaiplatform.orchestrator.messaging.ReplyChannelsAccess.randomCorrelation()));
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, List<Double>> perCall = new LinkedHashMap<>();
        for (int round = 0; round < 22; round++) {
            for (Map.Entry<String, Runnable> way : ways.entrySet()) {
                long cpu = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < 20_000; i++) {
                    way.getValue().run();
                }
                if (round >= 2) {   // two warm-up rounds
                    perCall.computeIfAbsent(way.getKey(), k -> new ArrayList<>())
                            .add((threads.getCurrentThreadCpuTime() - cpu) / 20_000.0 / 1000.0);
                }
            }
        }
        StringBuilder out = new StringBuilder("\n| cut without a switch | CPU per call, median, µs |\n|---|---|\n");
        perCall.forEach((way, values) -> out.append(String.format(Locale.ROOT, "| %s | %.2f |%n", way,
                percentile(sorted(values), 50))));
        return out.toString() + sinkHash;
    }

    /**
     * Wave 12's cuts without a switch, each beside what it replaced, in this JVM against the "after" side's beans:
     * the tracer (this thread's CPU per call, median of 20 alternating rounds of 20,000 calls), and
     * a tenant's spend added (the process's CPU and the wall time per call, which include Lettuce's I/O thread;
     * median of 20 alternating rounds of 500 calls against the real Redis).
     */
    private static String wave12Cuts(ConfigurableApplicationContext context) {
        // the provider as the service gets it: injected into a constructor, not the context's getBeanProvider
        org.springframework.beans.factory.ObjectProvider<io.micrometer.tracing.Tracer> provider =
                ((TracerHolder) context.getAutowireCapableBeanFactory().createBean(TracerHolder.class,
                        org.springframework.beans.factory.config.AutowireCapableBeanFactory.AUTOWIRE_CONSTRUCTOR,
                        false)).tracer;
        java.util.function.Supplier<io.micrometer.tracing.Tracer> kept =
                org.springframework.util.function.SingletonSupplier.of(provider::getIfAvailable);
        Map<String, Runnable> ways = new LinkedHashMap<>();
        ways.put("the tracer: ObjectProvider.getIfAvailable per request (before)", () -> sink(provider.getIfAvailable()));
        ways.put("the tracer: resolved once (after)", () -> sink(kept.get()));
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, List<Double>> perCall = new LinkedHashMap<>();
        for (int round = 0; round < 22; round++) {
            for (Map.Entry<String, Runnable> way : ways.entrySet()) {
                long cpu = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < 20_000; i++) {
                    way.getValue().run();
                }
                if (round >= 2) {
                    perCall.computeIfAbsent(way.getKey(), k -> new ArrayList<>())
                            .add((threads.getCurrentThreadCpuTime() - cpu) / 20_000.0 / 1000.0);
                }
            }
        }
        StringBuilder out = new StringBuilder("\n| wave 12 cut without a switch | CPU per call, median, µs |\n|---|---|\n");
        perCall.forEach((way, values) -> out.append(String.format(Locale.ROOT, "| %s | %.3f |%n", way,
                percentile(sorted(values), 50))));

        org.springframework.data.redis.core.StringRedisTemplate redis =
                context.getBean(org.springframework.data.redis.core.StringRedisTemplate.class);
        dev.genaiplatform.orchestrator.budget.TenantSpend spend =
                new dev.genaiplatform.orchestrator.budget.TenantSpend(redis);
        String key = "orch:spend:bench-before:" + java.time.YearMonth.now(java.time.ZoneOffset.UTC);
        Map<String, Runnable> adds = new LinkedHashMap<>();
        adds.put("a tenant's spend: INCRBYFLOAT, then EXPIRE (before)", () -> {
            redis.opsForValue().increment(key, 0.00015);
            redis.expire(key, Duration.ofDays(40));
        });
        adds.put("a tenant's spend: one script, one round trip (after)", () -> spend.add("bench-after", 0.00015));
        Map<String, List<Double>> cpuPerAdd = new LinkedHashMap<>();
        Map<String, List<Double>> wallPerAdd = new LinkedHashMap<>();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int round = 0; round < 22; round++) {
            for (Map.Entry<String, Runnable> way : adds.entrySet()) {
                long cpu = os.getProcessCpuTime();
                long start = System.nanoTime();
                for (int i = 0; i < 500; i++) {
                    way.getValue().run();
                }
                if (round >= 2) {
                    cpuPerAdd.computeIfAbsent(way.getKey(), k -> new ArrayList<>())
                            .add((os.getProcessCpuTime() - cpu) / 500.0 / 1000.0);
                    wallPerAdd.computeIfAbsent(way.getKey(), k -> new ArrayList<>())
                            .add((System.nanoTime() - start) / 500.0 / 1000.0);
                }
            }
        }
        out.append("\n| wave 12 cut without a switch | process CPU per call, median, µs | wall per call, median, µs |\n|---|---|---|\n");
        cpuPerAdd.forEach((way, values) -> out.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f |%n", way,
                percentile(sorted(values), 50), percentile(sorted(wallPerAdd.get(way)), 50))));
        return out.toString() + sinkHash;
    }

    /** Holds an {@code ObjectProvider} injected as into {@code ChatCompletionService}'s constructor. */
    public static final class TracerHolder {
        final org.springframework.beans.factory.ObjectProvider<io.micrometer.tracing.Tracer> tracer;

        public TracerHolder(org.springframework.beans.factory.ObjectProvider<io.micrometer.tracing.Tracer> tracer) {
            this.tracer = tracer;
        }
    }

    private static int sinkHash;

    private static void sink(Object value) {
        sinkHash += java.util.Objects.hashCode(value) == 42 ? 1 : 0;
    }

    private static java.util.Set<String> regexTerms(String text) {
        java.util.Set<String> terms = new java.util.LinkedHashSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.length() >= 2) {
                terms.add(word);
            }
        }
        return terms;
    }

    private static String row(String side, String request, Measured measured) {
        double[] cpu = sorted(measured.cpuPerRequest);
        double mean = measured.cpuPerRequest.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double[] wall = sorted(measured.wall);
        return String.format(Locale.ROOT, "| %s | %s | %.2f / %.2f | %.2f / %.2f |%s%n", side, request,
                percentile(cpu, 50), mean, percentile(wall, 50), percentile(wall, 99),
                measured.failures == 0 ? "" : " (" + measured.failures + " not 200)");
    }

    private static String stageRow(String side, String request, String stage, List<Double> values) {
        double[] sorted = sorted(values);
        return String.format(Locale.ROOT, "| %s | %s | `%s` | %.2f | %.2f |%n", side, request, stage,
                percentile(sorted, 50), percentile(sorted, 99));
    }

    private static double[] sorted(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static double percentile(double[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, (long) sorted.length * p / 100)];
    }

    private static final class Measured {
        final List<Double> wall = new ArrayList<>();
        final List<Double> cpuPerRequest = new ArrayList<>();
        final Map<String, List<Double>> stages = new LinkedHashMap<>();
        int failures;
    }

    private static final class Side {
        final ConfigurableApplicationContext context;
        final int port;
        final Measured hits = new Measured();
        final Measured misses = new Measured();

        Side(ConfigurableApplicationContext context) {
            this.context = context;
            this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
        }
    }
}
