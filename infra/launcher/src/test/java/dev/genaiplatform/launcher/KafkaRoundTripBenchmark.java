package dev.genaiplatform.launcher;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

import static dev.genaiplatform.launcher.InfrastructureClients.freePort;

/**
 * Not a test: what one request/reply over the launcher's broker costs on loopback, for the ways the platform's two
 * sides can be built, side by side in one run. Run it by hand; the numbers go in the README ("The group
 * coordinator's linger").
 *
 * <p>Two brokers in this JVM, each {@link KafkaBroker} exactly as the launcher configures it (SASL/PLAIN, the ACLs of
 * {@link KafkaAccess}), one with {@code group.coordinator.append.linger.ms} at Kafka's default 5, one at the
 * launcher's 0. On each, a responder answers every request on a reply topic and an asker waits for each answer before
 * it sends the next: a bare {@code KafkaConsumer} poll loop or a Spring {@link KafkaMessageListenerContainer} as the
 * responder, a bare consumer or a {@link ReplyingKafkaTemplate} as the asker, the Spring sides in Spring Kafka's
 * default ack mode ({@code BATCH}: a synchronous commit after each poll that brought records) or in ack mode
 * {@code TIME} (a commit once a second, what guardrails and the lean services run). Producers as the launcher
 * configures services ({@code linger.ms=0}). The clients log in as the broker's user: the fresh topics are in no
 * service's row. Every way runs 200 round trips of warm-up, then rounds of one block per way, the two brokers next
 * to each other and the order reversed every other round, so the machine's load falls on every way alike.
 *
 * <pre>./mvnw -q -pl infra/launcher -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/launcher-cp.txt
 * java -cp infra/launcher/target/test-classes:infra/launcher/target/classes:$(cat /tmp/launcher-cp.txt) \
 *     dev.genaiplatform.launcher.KafkaRoundTripBenchmark 300 5</pre>
 *
 * <p>Arguments: round trips per block (300), rounds (5).
 */
public final class KafkaRoundTripBenchmark {

    private static final String LINGER = "group.coordinator.append.linger.ms";
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    enum Responder { BARE, LISTENER_CONTAINER }

    enum Asker { BARE, REPLYING_TEMPLATE }

    /** How the Spring sides commit; a bare side never does (no group commits: auto-commit is off). */
    enum Commits { SPRING_DEFAULT_BATCH, TIME_1S, NONE }

    record Way(String linger, Responder responder, Asker asker, Commits commits) {
        String label() {
            return String.format("linger %s, %s / %s, %s", linger, responder, asker, commits);
        }
    }

    public static void main(String[] args) throws Exception {
        int perBlock = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Setup> setups = new ArrayList<>();
        List<KafkaBroker> brokers = new ArrayList<>();
        Path dataDir = Files.createTempDirectory("kafka-round-trip-");
        String password = "bench-" + UUID.randomUUID();
        try {
            for (String linger : List.of("5", "0")) {
                KafkaBroker broker = new KafkaBroker(freePort(), freePort(), dataDir.resolve("linger-" + linger),
                        Map.of(KafkaBroker.BROKER_USER, password), Map.of(LINGER, linger));
                brokers.add(broker);
                broker.start();
                broker.grantExactly(KafkaAccess.bindings());
            }
            for (Responder responder : Responder.values()) {
                for (Asker asker : Asker.values()) {
                    boolean bare = responder == Responder.BARE && asker == Asker.BARE;
                    for (Commits commits : bare ? List.of(Commits.NONE) : List.of(Commits.SPRING_DEFAULT_BATCH, Commits.TIME_1S)) {
                        for (int b = 0; b < brokers.size(); b++) { // the two brokers next to each other
                            Way way = new Way(b == 0 ? "5" : "0", responder, asker, commits);
                            setups.add(Setup.start(way, brokers.get(b).bootstrapServers(), password));
                        }
                    }
                }
            }
            for (Setup setup : setups) {
                setup.roundTrips(200, false);
            }
            for (int round = 1; round <= rounds; round++) {
                System.out.printf("round %d (load %s)%n", round, Files.readString(Path.of("/proc/loadavg")).trim());
                List<Setup> order = new ArrayList<>(setups);
                if (round % 2 == 0) {
                    Collections.reverse(order);
                }
                for (Setup setup : order) {
                    Histogram block = setup.roundTrips(perBlock, true);
                    System.out.printf("  %-70s p50 %6.2f ms  p90 %6.2f ms%n", setup.way.label(),
                            block.getValueAtPercentile(50) / 1e3, block.getValueAtPercentile(90) / 1e3);
                }
            }
            System.out.printf("%nload at the end: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
            System.out.println("| responder / asker | commits | linger 5 p50 / p90 / p99 ms | linger 0 p50 / p90 / p99 ms | ratio p50 |");
            System.out.println("|---|---|---|---|---|");
            for (int i = 0; i < setups.size(); i += 2) {
                Histogram five = setups.get(i).all;
                Histogram zero = setups.get(i + 1).all;
                Way way = setups.get(i).way;
                System.out.printf("| %s / %s | %s | %s | %s | %.2f |%n", way.responder(), way.asker(), way.commits(),
                        percentiles(five), percentiles(zero),
                        (double) five.getValueAtPercentile(50) / zero.getValueAtPercentile(50));
            }
        } finally {
            for (Setup setup : setups) {
                setup.close();
            }
            for (KafkaBroker broker : brokers) {
                broker.close();
            }
            try (var files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static String percentiles(Histogram h) {
        return String.format("%.2f / %.2f / %.1f", h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
                h.getValueAtPercentile(99) / 1e3);
    }

    /** One way's responder and asker, on topics of their own, alive for the whole run. */
    private static final class Setup implements AutoCloseable {
        final Way way;
        final Histogram all = new Histogram(3_600_000_000L, 3);
        private final List<AutoCloseable> parts = new ArrayList<>();
        private final String requests;
        private AskOnce asker;
        private long sequence;

        private interface AskOnce {
            String ask(String value) throws Exception;
        }

        private Setup(Way way, String requests) {
            this.way = way;
            this.requests = requests;
        }

        static Setup start(Way way, String bootstrap, String password) throws Exception {
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            Setup setup = new Setup(way, "bench.requests." + suffix);
            String replies = "bench.replies." + suffix;
            Clients clients = new Clients(bootstrap, password);
            try (Admin admin = Admin.create(clients.admin())) { // the broker's default partitions (3), as platform topics
                admin.createTopics(List.of(new NewTopic(setup.requests, Optional.empty(), Optional.empty()),
                        new NewTopic(replies, Optional.empty(), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
            }
            switch (way.responder()) {
                case BARE -> setup.bareResponder(clients, replies);
                case LISTENER_CONTAINER -> setup.containerResponder(clients, replies);
            }
            switch (way.asker()) {
                case BARE -> setup.bareAsker(clients, replies);
                case REPLYING_TEMPLATE -> setup.replyingAsker(clients, replies);
            }
            return setup;
        }

        Histogram roundTrips(int count, boolean record) throws Exception {
            Histogram block = new Histogram(3_600_000_000L, 3);
            for (int i = 0; i < count; i++) {
                String value = Long.toString(++sequence);
                long t0 = System.nanoTime();
                String answer = asker.ask(value);
                long micros = (System.nanoTime() - t0) / 1000;
                if (!value.equals(answer)) {
                    throw new IllegalStateException(way.label() + ": asked " + value + ", answered " + answer);
                }
                if (record) {
                    block.recordValue(micros);
                }
            }
            all.add(block);
            return block;
        }

        private void bareResponder(Clients clients, String replies) throws InterruptedException {
            KafkaProducer<String, String> producer = clients.producer();
            CountDownLatch assigned = new CountDownLatch(1);
            KafkaConsumer<String, String> consumer = clients.consumer("responder", requests, assigned);
            Thread loop = Thread.ofPlatform().daemon().start(() -> {
                try (consumer) {
                    while (true) {
                        for (ConsumerRecord<String, String> request : consumer.poll(Duration.ofMillis(100))) {
                            producer.send(reply(request, replies));
                        }
                    }
                } catch (WakeupException stopped) {
                    // the run is over
                }
            });
            awaitAssignment(assigned);
            parts.add(() -> stop(consumer, loop));
            parts.add(producer);
        }

        private void containerResponder(Clients clients, String replies) {
            KafkaTemplate<String, String> template = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(clients.producerConfig()));
            ContainerProperties properties = containerProperties(requests);
            properties.setMessageListener((MessageListener<String, String>) request -> template.send(reply(request, replies)));
            var container = new KafkaMessageListenerContainer<>(
                    new DefaultKafkaConsumerFactory<String, String>(clients.consumerConfig("responder")), properties);
            container.start();
            awaitAssignment(container);
            parts.add(container::stop);
            parts.add(template::destroy);
        }

        private void bareAsker(Clients clients, String replies) throws InterruptedException {
            KafkaProducer<String, String> producer = clients.producer();
            CountDownLatch assigned = new CountDownLatch(1);
            KafkaConsumer<String, String> consumer = clients.consumer("asker", replies, assigned);
            SynchronousQueue<String> answers = new SynchronousQueue<>();
            Thread loop = Thread.ofPlatform().daemon().start(() -> {
                try (consumer) {
                    while (true) {
                        for (ConsumerRecord<String, String> answer : consumer.poll(Duration.ofMillis(100))) {
                            answers.put(answer.value());
                        }
                    }
                } catch (WakeupException | InterruptedException stopped) {
                    // the run is over
                }
            });
            awaitAssignment(assigned);
            asker = value -> {
                producer.send(new ProducerRecord<>(requests, value, value));
                String answer = answers.poll(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (answer == null) {
                    throw new IllegalStateException(way.label() + ": no answer to " + value);
                }
                return answer;
            };
            parts.add(() -> stop(consumer, loop));
            parts.add(producer);
        }

        private void replyingAsker(Clients clients, String replies) throws InterruptedException {
            var replyContainer = new KafkaMessageListenerContainer<>(
                    new DefaultKafkaConsumerFactory<String, String>(clients.consumerConfig("asker")),
                    containerProperties(replies));
            var template = new ReplyingKafkaTemplate<>(new DefaultKafkaProducerFactory<String, String>(clients.producerConfig()),
                    replyContainer);
            template.setDefaultReplyTimeout(REPLY_TIMEOUT);
            template.start();
            if (!template.waitForAssignment(Duration.ofSeconds(30))) {
                throw new IllegalStateException(way.label() + ": the reply container got no partitions");
            }
            asker = value -> template.sendAndReceive(new ProducerRecord<>(requests, value, value))
                    .get(REPLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS).value();
            parts.add(template::stop);
            parts.add(template::destroy);
        }

        private ContainerProperties containerProperties(String topic) {
            ContainerProperties properties = new ContainerProperties(topic);
            if (way.commits() == Commits.TIME_1S) {
                properties.setAckMode(ContainerProperties.AckMode.TIME);
                properties.setAckTime(1000);
            }
            return properties;
        }

        /** The answer on the reply topic, with the correlation id a {@link ReplyingKafkaTemplate} matches it by. */
        private static ProducerRecord<String, String> reply(ConsumerRecord<String, String> request, String replies) {
            ProducerRecord<String, String> reply = new ProducerRecord<>(replies, request.key(), request.value());
            Header correlation = request.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
            if (correlation != null) {
                reply.headers().add(KafkaHeaders.CORRELATION_ID, correlation.value());
            }
            return reply;
        }

        private static void awaitAssignment(CountDownLatch assigned) throws InterruptedException {
            if (!assigned.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no partitions assigned within 30 s");
            }
        }

        private static void awaitAssignment(KafkaMessageListenerContainer<?, ?> container) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (container.getAssignedPartitions() == null || container.getAssignedPartitions().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no partitions assigned within 30 s");
                }
                sleep(50);
            }
        }

        /** {@code wakeup} is the one consumer method another thread may call: the loop's poll throws and it closes. */
        private static void stop(KafkaConsumer<String, String> consumer, Thread loop) throws InterruptedException {
            consumer.wakeup();
            loop.join(5000);
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            for (AutoCloseable part : parts) {
                try {
                    part.close();
                } catch (Exception e) {
                    System.err.println(way.label() + ": " + e);
                }
            }
        }
    }

    /** Client settings: the broker's user over SASL/PLAIN, producers as the launcher configures services. */
    private record Clients(String bootstrap, String password) {
        Map<String, Object> admin() {
            Map<String, Object> config = new HashMap<>(KafkaBroker.clientSecurity(KafkaBroker.BROKER_USER, password));
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            return config;
        }

        Map<String, Object> producerConfig() {
            Map<String, Object> config = admin();
            config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            return config;
        }

        Map<String, Object> consumerConfig(String group) {
            Map<String, Object> config = admin();
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group + "-" + UUID.randomUUID());
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // Spring sets it false too; commits are the way's
            config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            return config;
        }

        KafkaProducer<String, String> producer() {
            return new KafkaProducer<>(producerConfig());
        }

        /** A consumer is single-threaded: its poll loop says through {@code assigned} when it has partitions. */
        KafkaConsumer<String, String> consumer(String group, String topic, CountDownLatch assigned) {
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(group));
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        assigned.countDown();
                    }
                }
            });
            return consumer;
        }
    }

    private KafkaRoundTripBenchmark() {
    }
}
