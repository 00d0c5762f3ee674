package dev.genaiplatform.evaluation.bench;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.GuardrailVerdictRecordedEvent;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.evaluation.events.CompletionEvents;
import dev.genaiplatform.evaluation.support.TestTokens;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.json.JsonMapper;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: the CPU the evaluation service spends per stored event, for several builds side by side.
 *
 * <p>Starts one Kafka broker (in this JVM), one PostgreSQL (zonky, its own processes) and a JWK set, then one
 * evaluation process per build, each with a database and a consumer group of its own, all reading the same
 * topics. It publishes chat requests at a fixed rate, each as the platform does: eight guardrail verdicts and one
 * completion event carrying the same internal token (a fresh token per request), spread over the request's slot.
 * When a build has stored every event, its process's CPU time (utime + stime from {@code /proc}) and that of its
 * PostgreSQL backends ({@code pg_stat_activity} of its database) are read; the idle CPU of a quiet period before
 * the load is shown next to it. The builds share the machine and the load, so their numbers compare; absolute values do not
 * travel.
 *
 * <p>Arguments: requests per second (default 50), seconds (default 20), then {@code label=classpath-file} per
 * build (default: this JVM's classpath as {@code this}; {@code label=this} runs this JVM's classpath under that
 * label). {@code -Dbench.args.<label>="--key=value ..."} gives one build's process extra arguments, so two
 * configurations of one build compare side by side. Each request's records carry a W3C {@code traceparent}
 * whose sampled flag is set for a share {@code -Dbench.sampling} of requests (default 0.1, the gateway's share;
 * 1.0 traces every record). Linux only
 * ({@code /proc}).
 */
public final class EventPipelineBenchmark {

    private static final int VERDICTS_PER_REQUEST = 8;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final double TICK_MS = 1000.0 / 100; // USER_HZ is 100 on Linux
    private static final double SAMPLING = Double.parseDouble(System.getProperty("bench.sampling", "0.1"));
    private static final java.util.Random SAMPLER = new java.util.Random(7);

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Map<String, String> builds = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] labelAndFile = args[i].split("=", 2);
            builds.put(labelAndFile[0], labelAndFile[1].equals("this") ? System.getProperty("java.class.path")
                    : Files.readString(Path.of(labelAndFile[1])).strip());
        }
        if (builds.isEmpty()) {
            builds.put("this", System.getProperty("java.class.path"));
        }

        var broker = new EmbeddedKafkaKraftBroker(1, 3);
        broker.afterPropertiesSet();
        broker.addTopics(new NewTopic(Topics.CHAT_COMPLETION_RECORDED, 3, (short) 1),
                new NewTopic(Topics.GUARDRAILS_VERDICT_RECORDED, 3, (short) 1));
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        List<Service> services = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new ByteArraySerializer())) {
            for (var build : builds.entrySet()) {
                services.add(Service.start(build.getKey(), build.getValue(), postgres, broker.getBrokersAsString()));
            }
            for (Service s : services) {
                s.awaitStarted();
            }
            System.out.println("warm-up: 300 requests");
            publish(producer, 300, 100);
            waitUntilStored(services, 300);

            Map<Service, Double> idle = new LinkedHashMap<>();
            for (Service s : services) {
                idle.put(s, s.cpuMillis());
            }
            TimeUnit.SECONDS.sleep(10);
            for (Service s : services) {
                idle.put(s, (s.cpuMillis() - idle.get(s)) / 10.0);
            }

            int requests = rate * seconds;
            System.out.printf(Locale.ROOT, "measured: %d requests at %d/s (%d events), builds %s%n", requests, rate,
                    requests * (1 + VERDICTS_PER_REQUEST), builds.keySet());
            Map<Service, double[]> before = new LinkedHashMap<>();
            for (Service s : services) {
                before.put(s, new double[]{s.cpuMillis(), s.databaseCpuMillis()});
            }
            long start = System.nanoTime();
            publish(producer, requests, rate);
            Map<Service, double[]> after = new LinkedHashMap<>();
            while (after.size() < services.size()) {
                for (Service s : services) {
                    if (!after.containsKey(s) && s.storedCompletions() >= 300 + requests
                            && s.storedVerdicts() >= (300L + requests) * VERDICTS_PER_REQUEST) {
                        after.put(s, new double[]{s.cpuMillis(), s.databaseCpuMillis(),
                                (System.nanoTime() - start) / 1e9});
                    }
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            int events = requests * (1 + VERDICTS_PER_REQUEST);
            System.out.println();
            System.out.println("| build | events | drained after | service CPU | per event | per event, idle CPU taken off "
                    + "| its PostgreSQL backends per event |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (Service s : services) {
                double cpu = after.get(s)[0] - before.get(s)[0];
                double wall = after.get(s)[2];
                double database = after.get(s)[1] - before.get(s)[1];
                System.out.printf(Locale.ROOT, "| %s | %d | %.1f s | %.0f ms | %.0f µs | %.0f µs | %.0f µs |%n", s.label,
                        events, wall, cpu, cpu * 1000 / events, (cpu - idle.get(s) * wall) * 1000 / events,
                        database * 1000 / events);
            }
            System.out.printf(Locale.ROOT, "idle CPU per second: %s%n", idle.entrySet().stream()
                    .map(e -> e.getKey().label + " " + String.format(Locale.ROOT, "%.1f ms", e.getValue())).toList());
        } finally {
            services.forEach(Service::stop);
            postgres.close();
            broker.destroy();
        }
    }

    private static void publish(KafkaProducer<String, byte[]> producer, int requests, int perSecond) throws Exception {
        List<String> tokens = new ArrayList<>(requests);
        for (int i = 0; i < requests; i++) {
            tokens.add(TestTokens.token("bench", "chat"));
        }
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            long due = start + (long) (i * 1e9 / perSecond);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String requestId = "chatcmpl-" + UUID.randomUUID();
            byte[] token = tokens.get(i).getBytes(StandardCharsets.UTF_8);
            // the request's trace context, as the platform's producers write it: sampled as the gateway decides
            String traceparent = "00-" + UUID.randomUUID().toString().replace("-", "") + "-"
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                    + (SAMPLER.nextDouble() < SAMPLING ? "-01" : "-00");
            for (int v = 0; v < VERDICTS_PER_REQUEST; v++) {
                // a request's events arrive over its lifetime, as its checks happen, not in one burst
                long eventDue = due + (long) ((v + 1) * 1e9 / perSecond / (VERDICTS_PER_REQUEST + 1));
                if (eventDue > System.nanoTime()) {
                    TimeUnit.NANOSECONDS.sleep(eventDue - System.nanoTime());
                }
                var verdict = new GuardrailVerdictRecordedEvent(UUID.randomUUID().toString(), Instant.now(), requestId,
                        "bench", v == 0 ? "input" : "output", "default", Verdict.ALLOWED, 0.01, List.of(), List.of(),
                        null, 350);
                send(producer, Topics.GUARDRAILS_VERDICT_RECORDED, requestId, JSON.writeValueAsBytes(verdict), token,
                        traceparent);
            }
            send(producer, Topics.CHAT_COMPLETION_RECORDED, requestId,
                    JSON.writeValueAsBytes(CompletionEvents.answered("bench", "sim-small").build()), token, traceparent);
        }
        producer.flush();
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value,
                             byte[] token, String traceparent) {
        var record = new ProducerRecord<>(topic, key, value);
        record.headers().add(PlatformHeaders.AUTHORIZATION, token);
        record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        producer.send(record);
    }

    private static void waitUntilStored(List<Service> services, int requests) throws Exception {
        for (Service s : services) {
            while (s.storedCompletions() < requests || s.storedVerdicts() < (long) requests * VERDICTS_PER_REQUEST) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }

    /** One evaluation process with its own database and consumer group. */
    private record Service(String label, Process process, EmbeddedPostgres postgres, String database) {

        static Service start(String label, String classpath, EmbeddedPostgres postgres, String brokers)
                throws Exception {
            String database = "evaluation_" + label.replaceAll("[^a-zA-Z0-9]", "_");
            try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
                connection.createStatement().execute("create database " + database);
            }
            File log = new File("target/bench-" + label + ".log");
            ProcessBuilder process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-cp", classpath, "dev.genaiplatform.evaluation.EvaluationApplication",
                    "--server.port=0", "--management.server.port=0",
                    "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", database),
                    "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                    "--spring.kafka.bootstrap-servers=" + brokers,
                    "--spring.kafka.consumer.group-id=evaluation-" + label,
                    "--platform.security.jwk-set-uri=" + TestTokens.jwkSetUri(),
                    // records carry a traceparent sampled at -Dbench.sampling (the gateway's 10 % by default), as
                    // the platform's records do; the service's own sampler is set to the same share
                    "--management.tracing.sampling.probability=" + SAMPLING,
                    "--logging.level.root=WARN")
                    .redirectErrorStream(true).redirectOutput(log);
            String extra = System.getProperty("bench.args." + label, "").strip();
            if (!extra.isEmpty()) {
                process.command().addAll(List.of(extra.split("\\s+")));
            }
            return new Service(label, process.start(), postgres, database);
        }

        /** Started once Flyway has created the tables (the listeners start right after). */
        void awaitStarted() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (true) {
                try {
                    storedVerdicts();
                    System.out.println(label + ": started (pid " + process.pid() + ")");
                    return;
                } catch (SQLException notYetMigrated) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException(label + " did not start; see target/bench-" + label + ".log",
                                notYetMigrated);
                    }
                    TimeUnit.MILLISECONDS.sleep(500);
                }
            }
        }

        long storedCompletions() throws SQLException {
            return count("select count(*) from completion_event");
        }

        long storedVerdicts() throws SQLException {
            return count("select count(*) from guardrail_verdict_event");
        }

        double cpuMillis() throws IOException {
            return cpuMillisOf(process.pid());
        }

        /** The CPU of the PostgreSQL backends serving this database's connections now. */
        double databaseCpuMillis() throws SQLException, IOException {
            double total = 0;
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                 ResultSet pids = connection.createStatement().executeQuery(
                         "select pid from pg_stat_activity where datname = '" + database + "'")) {
                while (pids.next()) {
                    total += cpuMillisOf(pids.getLong(1));
                }
            }
            return total;
        }

        void stop() {
            process.destroy();
        }

        private long count(String sql) throws SQLException {
            try (Connection connection = postgres.getDatabase("postgres", database).getConnection();
                 ResultSet rows = connection.createStatement().executeQuery(sql)) {
                rows.next();
                return rows.getLong(1);
            }
        }

        private static double cpuMillisOf(long pid) throws IOException {
            Path stat = Path.of("/proc", Long.toString(pid), "stat");
            if (!Files.exists(stat)) {
                return 0;
            }
            String line = Files.readString(stat);
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_MS;
        }
    }
}
