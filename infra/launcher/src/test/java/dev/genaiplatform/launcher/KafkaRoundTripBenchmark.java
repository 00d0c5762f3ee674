package dev.genaiplatform.launcher;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;

/**
 * What one request/reply over the launcher's broker costs on loopback, the way the platform uses it (a
 * command on one topic, a consumer that answers on another, the caller waiting for the answer), with the
 * producer's {@code linger.ms} at 0 (what the launcher passes to services) and at Kafka 4's default (5).
 * Not a test: run it by hand, the numbers go in the README.
 *
 * <pre>./mvnw -q -pl infra/launcher test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/launcher-cp.txt
 * java -cp infra/launcher/target/test-classes:infra/launcher/target/classes:$(cat /tmp/launcher-cp.txt) \
 *     dev.genaiplatform.launcher.KafkaRoundTripBenchmark 2000</pre>
 */
public final class KafkaRoundTripBenchmark {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        LauncherSettings settings = EmbeddedInfrastructureIT.settings(Files.createTempDirectory("kafka-bench-"));
        try (Infrastructure infrastructure = Infrastructure.start(settings, line -> { })) {
            // fresh topics each run are in no service's row of KafkaAccess: the broker's own user may create them
            Map<String, String> login = KafkaBroker.clientSecurity(KafkaBroker.BROKER_USER,
                    infrastructure.secrets().kafkaPassword(KafkaBroker.BROKER_USER));
            for (String linger : List.of("0", "5", "0")) {
                Histogram h = roundTrips(settings.bootstrapServers(), login, linger, rounds);
                System.out.printf("linger.ms=%s: %d round trips, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", linger,
                        h.getTotalCount(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                        h.getMaxValue() / 1e3);
            }
        } finally {
            Infrastructure.wipe(settings);
        }
    }

    private static Histogram roundTrips(String bootstrap, Map<String, String> login, String linger, int rounds)
            throws Exception {
        String suffix = "-" + System.nanoTime();
        String requests = "bench.requests" + suffix;
        String replies = "bench.replies" + suffix;
        Map<String, Object> producerConfig = new HashMap<>(login);
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, linger);
        Map<String, Object> consumerConfig = new HashMap<>(login);
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Histogram histogram = new Histogram(3_600_000_000L, 3);
        SynchronousQueue<String> answered = new SynchronousQueue<>();
        try (var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
             var server = consumer(consumerConfig, "server" + suffix, requests);
             var client = consumer(consumerConfig, "client" + suffix, replies)) {
            Thread responder = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        for (ConsumerRecord<String, String> r : server.poll(Duration.ofMillis(100))) {
                            producer.send(new ProducerRecord<>(replies, r.key(), r.value()));
                        }
                    }
                } catch (InterruptException stopped) {
                    // the round is over
                }
            });
            Thread listener = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        for (ConsumerRecord<String, String> r : client.poll(Duration.ofMillis(100))) {
                            answered.put(r.value());
                        }
                    }
                } catch (InterruptedException | InterruptException stopped) {
                    // the round is over
                }
            });
            Thread.sleep(3000); // both groups assigned (fresh topics, earliest: nothing is lost if later)
            for (int i = 0; i < rounds + 200; i++) {
                long t0 = System.nanoTime();
                producer.send(new ProducerRecord<>(requests, "k", Integer.toString(i)));
                answered.take();
                if (i >= 200) { // warm-up excluded
                    histogram.recordValue((System.nanoTime() - t0) / 1000);
                }
            }
            responder.interrupt();
            listener.interrupt();
            responder.join(2000);
            listener.join(2000);
        }
        return histogram;
    }

    private static KafkaConsumer<String, String> consumer(Map<String, Object> config, String group, String topic) {
        Map<String, Object> own = new HashMap<>(config);
        own.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(own, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private KafkaRoundTripBenchmark() {
    }
}
