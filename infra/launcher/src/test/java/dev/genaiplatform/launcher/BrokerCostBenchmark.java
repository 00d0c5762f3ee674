package dev.genaiplatform.launcher;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

import static dev.genaiplatform.contracts.Topics.GUARDRAILS_CHECK_INPUT;
import static dev.genaiplatform.contracts.Topics.GUARDRAILS_INPUT_CHECKED;

/**
 * Not a test: the Kafka broker's CPU per request/reply round trip, for several broker and client settings side by
 * side in one run. Run it by hand; the numbers go in the README ("Wave 7: the broker's cost per request").
 *
 * <p>Each way gets a broker of its own, in a child JVM started with the launcher's JVM options ({@link KafkaBroker}
 * exactly as the launcher configures it, SASL/PLAIN, the 123 ACLs of {@link KafkaAccess} under
 * {@code StandardAuthorizer}, plus the way's overrides), so its CPU is that process's CPU ({@code /proc/<pid>/stat}).
 * The round trip is the platform's own: the orchestrator's user sends a command to {@code guardrails.check-input.v1},
 * guardrails' user (group {@code guardrails}) answers on {@code guardrails.input-checked.v1}, the orchestrator's
 * reply consumer (a group of its own, committing nothing) hands the answer to the waiting caller. Producers as the
 * launcher configures services ({@code linger.ms=0}, acks=all, idempotent); consumers with
 * {@code fetch.max.wait.ms=2000}. Rounds alternate the ways in blocks, so machine load falls on all of them alike.
 *
 * <pre>./mvnw -q -pl infra/launcher -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/launcher-cp.txt
 * java -cp infra/launcher/target/test-classes:infra/launcher/target/classes:$(cat /tmp/launcher-cp.txt) \
 *     dev.genaiplatform.launcher.BrokerCostBenchmark 600 4 20</pre>
 *
 * <p>Arguments: round trips per block, rounds, round trips a second. The pace is fixed (the caller waits for each
 * answer, then for its next slot) so that every way carries the broker's time-based work (heartbeats, idle fetches,
 * the controller) over the same number of round trips; each block is preceded by 10 s at rest, whose CPU is printed
 * too.
 */
public final class BrokerCostBenchmark {

    private static final String PASSWORD = "bench-" + UUID.randomUUID();

    /** A way to compare: broker property overrides, the topics' partition count, how the answering side commits. */
    record Way(String name, Map<String, String> brokerOverrides, int partitions, boolean commitEverySecond) {
    }

    static final List<Way> WAYS = List.of(
            new Way("as the launcher runs it (2 network + 2 I/O threads, 3 partitions, answerer commits each poll)",
                    Map.of(), 3, false),
            new Way("1 network + 1 I/O thread", Map.of("num.network.threads", "1", "num.io.threads", "1"), 3, false),
            new Way("answerer commits once a second (Spring Kafka ack-mode time)", Map.of(), 3, true),
            new Way("1 partition per topic", Map.of(), 1, false));

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("broker")) {
            runBroker(args);
            return;
        }
        int perBlock = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        double perSecond = args.length > 2 ? Double.parseDouble(args[2]) : 20;
        List<Setup> setups = new ArrayList<>();
        try {
            for (int i = 0; i < WAYS.size(); i++) {
                setups.add(Setup.start(WAYS.get(i), 29_100 + 10 * i));
            }
            for (Setup setup : setups) {
                setup.roundTrips(300, 0); // warm-up: JIT, group assignment, fetch sessions
            }
            for (int round = 1; round <= rounds; round++) {
                System.out.printf("round %d (load %s)%n", round, Files.readString(Path.of("/proc/loadavg")).trim());
                for (Setup setup : setups) {
                    long rest0 = CpuTimes.cpuNanos(setup.broker.pid());
                    Thread.sleep(10_000);
                    double restPerSecond = (CpuTimes.cpuNanos(setup.broker.pid()) - rest0) / 1e6 / 10;
                    long cpu0 = CpuTimes.cpuNanos(setup.broker.pid());
                    long t0 = System.nanoTime();
                    long[] micros = setup.roundTrips(perBlock, perSecond);
                    long wall = System.nanoTime() - t0;
                    long cpu = CpuTimes.cpuNanos(setup.broker.pid()) - cpu0;
                    setup.record(cpu, perBlock, micros, restPerSecond);
                    System.out.printf("  %-95s broker CPU %.3f ms/round trip at %.1f/s (at rest %.1f ms/s), p50 %.2f ms,"
                            + " p99 %.2f ms%n", setup.way.name(), cpu / 1e6 / perBlock, perBlock / (wall / 1e9),
                            restPerSecond, percentile(micros, 50) / 1e3, percentile(micros, 99) / 1e3);
                }
            }
            System.out.println();
            System.out.println("| way | broker CPU per round trip, ms (per round) | mean | at rest, ms/s (mean) "
                    + "| p50 / p99 ms (all rounds) |");
            System.out.println("|---|---|---:|---:|---|");
            for (Setup setup : setups) {
                System.out.println(setup.summary());
            }
        } finally {
            for (Setup setup : setups) {
                setup.close();
            }
        }
    }

    /** The child JVM: one broker with the launcher's settings plus overrides, ACLs granted, until stdin closes. */
    private static void runBroker(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        Map<String, String> overrides = new HashMap<>();
        for (String kv : Arrays.copyOfRange(args, 3, args.length)) {
            overrides.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        Map<String, String> users = new LinkedHashMap<>();
        users.put(KafkaBroker.BROKER_USER, passwordFromEnvironment());
        KafkaAccess.users().forEach(user -> users.put(user, passwordFromEnvironment()));
        try (KafkaBroker broker = new KafkaBroker(port, port + 1, dir, users, overrides)) {
            broker.start();
            broker.grantExactly(KafkaAccess.bindings());
            System.out.println("READY");
            System.out.flush();
            while (System.in.read() >= 0) {
                // the parent closes stdin (or dies) to stop this broker
            }
        }
        System.exit(0);
    }

    private static String passwordFromEnvironment() {
        return System.getenv("BENCH_KAFKA_PASSWORD");
    }

    /** One way's broker process and clients. */
    private static final class Setup implements AutoCloseable {
        final Way way;
        final Process broker;
        final Path dir;
        final KafkaProducer<String, String> requester;
        final KafkaProducer<String, String> answererProducer;
        final KafkaConsumer<String, String> answerer;
        final KafkaConsumer<String, String> replies;
        final SynchronousQueue<String> answered = new SynchronousQueue<>();
        final List<Thread> threads = new ArrayList<>();
        final List<Double> cpuPerRoundTrip = new ArrayList<>();
        final List<Double> cpuAtRest = new ArrayList<>();
        final List<long[]> latencies = new ArrayList<>();
        volatile boolean running = true;

        private Setup(Way way, Process broker, Path dir, String bootstrap) {
            this.way = way;
            this.broker = broker;
            this.dir = dir;
            requester = producer(bootstrap, "orchestrator");
            answererProducer = producer(bootstrap, "guardrails");
            answerer = consumer(bootstrap, "guardrails", "guardrails", GUARDRAILS_CHECK_INPUT);
            replies = consumer(bootstrap, "orchestrator", "orchestrator-replies-" + UUID.randomUUID(),
                    GUARDRAILS_INPUT_CHECKED);
            threads.add(Thread.ofPlatform().daemon().start(this::answer));
            threads.add(Thread.ofPlatform().daemon().start(this::hearReplies));
        }

        static Setup start(Way way, int port) throws Exception {
            Path dir = Files.createTempDirectory("broker-cost-");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // the launcher JVM's options (platform.sh, lean)
                    "-Xmx512m", "-XX:+UseSerialGC", "-Xms32m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30",
                    "-XX:+UseCompactObjectHeaders", "-XX:TrimNativeHeapInterval=10000",
                    "-cp", System.getProperty("java.class.path"), BrokerCostBenchmark.class.getName(),
                    "broker", Integer.toString(port), dir.resolve("kafka").toString()));
            way.brokerOverrides().forEach((k, v) -> command.add(k + "=" + v));
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(dir.resolve("broker.err").toFile());
            builder.environment().put("BENCH_KAFKA_PASSWORD", PASSWORD);
            builder.environment().put("MALLOC_ARENA_MAX", "2");
            Process process = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("READY")) {
                // the broker's own output before it is ready
            }
            if (line == null) {
                throw new IllegalStateException("The broker for '" + way.name() + "' did not start: see " + dir);
            }
            String bootstrap = "127.0.0.1:" + port;
            Map<String, Object> adminConfig = new HashMap<>(KafkaBroker.clientSecurity(KafkaBroker.BROKER_USER, PASSWORD));
            adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            try (Admin admin = Admin.create(adminConfig)) {
                admin.createTopics(List.of(new NewTopic(GUARDRAILS_CHECK_INPUT, way.partitions(), (short) 1),
                        new NewTopic(GUARDRAILS_INPUT_CHECKED, way.partitions(), (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            return new Setup(way, process, dir, bootstrap);
        }

        /** {@code count} round trips, one at a time, started {@code perSecond} a second (0: back to back). */
        long[] roundTrips(int count, double perSecond) throws InterruptedException {
            long[] micros = new long[count];
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                if (perSecond > 0) {
                    long due = start + (long) (i * 1e9 / perSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                long t0 = System.nanoTime();
                // a fresh key per request, as the services key by request id: records spread over the partitions
                String id = UUID.randomUUID().toString();
                requester.send(new ProducerRecord<>(GUARDRAILS_CHECK_INPUT, id, id));
                awaitAnswer(id);
                micros[i] = (System.nanoTime() - t0) / 1000;
            }
            return micros;
        }

        /** Waits for the answer to {@code id}; one lost in a rebalance is reported and not waited for forever. */
        private void awaitAnswer(String id) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String answer;
            do {
                answer = answered.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (answer == null) {
                    System.out.printf("  (%s: no answer within 10 s, going on)%n", way.name());
                    return;
                }
            } while (!answer.equals(id));
        }

        private void answer() {
            long lastCommit = System.nanoTime();
            try {
                while (running) {
                    ConsumerRecords<String, String> records = answerer.poll(Duration.ofMillis(500));
                    for (ConsumerRecord<String, String> r : records) {
                        answererProducer.send(new ProducerRecord<>(GUARDRAILS_INPUT_CHECKED, r.key(), r.value()));
                    }
                    // Spring Kafka's default (ack-mode batch) commits after every poll that returned records; ack-mode
                    // time commits what was processed once ack-time has passed
                    boolean commit = way.commitEverySecond()
                            ? System.nanoTime() - lastCommit >= TimeUnit.SECONDS.toNanos(1)
                            : !records.isEmpty();
                    if (commit) {
                        answerer.commitSync();
                        lastCommit = System.nanoTime();
                    }
                }
            } catch (InterruptException | WakeupException stopped) {
                // closing
            }
        }

        private void hearReplies() {
            try {
                while (running) {
                    for (ConsumerRecord<String, String> r : replies.poll(Duration.ofMillis(500))) {
                        answered.put(r.value());
                    }
                }
            } catch (InterruptedException | InterruptException | WakeupException stopped) {
                // closing
            }
        }

        void record(long cpuNanos, int count, long[] micros, double restMillisPerSecond) {
            cpuPerRoundTrip.add(cpuNanos / 1e6 / count);
            cpuAtRest.add(restMillisPerSecond);
            latencies.add(micros);
        }

        String summary() {
            long[] all = latencies.stream().flatMapToLong(Arrays::stream).toArray();
            double mean = cpuPerRoundTrip.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double rest = cpuAtRest.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            return String.format("| %s | %s | %.3f | %.1f | %.2f / %.2f |", way.name(),
                    String.join(", ", cpuPerRoundTrip.stream().map(c -> String.format("%.3f", c)).toList()), mean,
                    rest, percentile(all, 50) / 1e3, percentile(all, 99) / 1e3);
        }

        @Override
        public void close() throws Exception {
            running = false;
            answerer.wakeup();
            replies.wakeup();
            for (Thread thread : threads) {
                thread.join(3000);
            }
            answerer.close(Duration.ofSeconds(2));
            replies.close(Duration.ofSeconds(2));
            requester.close(Duration.ofSeconds(2));
            answererProducer.close(Duration.ofSeconds(2));
            broker.getOutputStream().close();
            if (!broker.waitFor(30, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap, String user) {
        Map<String, Object> config = new HashMap<>(KafkaBroker.clientSecurity(user, PASSWORD));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, String user, String group, String topic) {
        Map<String, Object> config = new HashMap<>(KafkaBroker.clientSecurity(user, PASSWORD));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "2000");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static long percentile(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
    }

    private BrokerCostBenchmark() {
    }
}
