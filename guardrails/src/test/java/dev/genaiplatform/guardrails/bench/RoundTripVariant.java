package dev.genaiplatform.guardrails.bench;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.contracts.retrieval.TextEmbedding;
import dev.genaiplatform.guardrails.GuardrailsApplication;
import dev.genaiplatform.guardrails.TestTokens;
import dev.genaiplatform.guardrails.bench.KafkaRoundTripBenchmark.Setup;
import dev.genaiplatform.guardrails.bench.RoundTripStamps.Point;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** One variant of {@link KafkaRoundTripBenchmark}: a broker of its own, what answers on it, and the asker. */
record RoundTripVariant(String name, EmbeddedKafkaKraftBroker broker, AutoCloseable responder,
                        ReplyingKafkaTemplate<String, CheckInputCommand, InputCheckedReply> asker, List<Long> micros,
                        Map<Point, List<Long>> split) {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    static RoundTripVariant start(String name, Setup setup) throws Exception {
        var broker = new EmbeddedKafkaKraftBroker(1, 3, Topics.GUARDRAILS_CHECK_INPUT, Topics.GUARDRAILS_INPUT_CHECKED);
        broker.brokerProperty("group.coordinator.append.linger.ms", Integer.toString(setup.commitLingerMs()));
        broker.afterPropertiesSet();
        AutoCloseable responder = setup.overrides() == null ? BareResponder.start(broker.getBrokersAsString())
                : service(broker.getBrokersAsString(), setup);
        var split = new EnumMap<Point, List<Long>>(Point.class);
        for (Point point : Point.values()) {
            split.put(point, new ArrayList<>());
        }
        return new RoundTripVariant(name, broker, responder, asker(broker.getBrokersAsString(), setup.askerCommits()),
                new ArrayList<>(), split);
    }

    private static AutoCloseable service(String brokers, Setup setup) {
        var properties = new LinkedHashMap<String, Object>();
        properties.put("spring.kafka.bootstrap-servers", brokers);
        properties.put("server.port", 0);
        properties.put("management.server.port", 0);
        properties.put("logging.level.org.apache.kafka", "warn");
        properties.put("spring.jmx.enabled", false);
        // the stamps' hooks, the same in every variant (RoundTripStamps)
        properties.put("spring.kafka.producer.properties.interceptor.classes", RoundTripStamps.Interceptor.class.getName());
        properties.put("spring.kafka.producer.value-serializer", RoundTripStamps.StampingSerializer.class.getName());
        properties.putAll(setup.overrides());
        // as command-line arguments: they outrank application.yml, as the launcher's environment does
        String[] arguments = properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue())
                .toArray(String[]::new);
        var sources = new ArrayList<Class<?>>(List.of(GuardrailsApplication.class, RoundTripStamps.Hooks.class));
        sources.addAll(setup.sources());
        return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).run(arguments);
    }

    /** The orchestrator's asker (ReplyChannels.replyContainer), or, with {@code commits}, Spring Kafka's default. */
    private static ReplyingKafkaTemplate<String, CheckInputCommand, InputCheckedReply> asker(String brokers,
                                                                                            boolean commits)
            throws InterruptedException {
        var producers = new DefaultKafkaProducerFactory<String, CheckInputCommand>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, JacksonJsonSerializer.class));
        var consumers = new DefaultKafkaConsumerFactory<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new StringDeserializer(), new JacksonJsonDeserializer<>(InputCheckedReply.class));
        var replies = new ContainerProperties(Topics.GUARDRAILS_INPUT_CHECKED);
        replies.setGroupId("bench-replies-" + UUID.randomUUID());
        Properties consumer = new Properties();
        consumer.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        if (!commits) {
            consumer.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            replies.setAckMode(ContainerProperties.AckMode.MANUAL); // never acknowledged: nothing is committed
        }
        replies.setKafkaConsumerProperties(consumer);
        var container = new KafkaMessageListenerContainer<>(consumers, replies);
        container.setBatchInterceptor(RoundTripStamps.askerPolled());
        var asker = new ReplyingKafkaTemplate<>(producers, container);
        asker.setSharedReplyTopic(true);
        asker.setDefaultReplyTimeout(KafkaRoundTripBenchmark.TIMEOUT);
        asker.start();
        if (!asker.waitForAssignment(KafkaRoundTripBenchmark.TIMEOUT)) {
            throw new IllegalStateException("the asker's reply container got no partitions");
        }
        return asker;
    }

    void block(int checks) throws Exception {
        for (int i = 0; i < checks; i++) {
            String token = TestTokens.token("tenant-bench", "chat"); // signed outside the timed part
            var record = new ProducerRecord<String, CheckInputCommand>(Topics.GUARDRAILS_CHECK_INPUT,
                    "conversation-" + i, new CheckInputCommand("chatcmpl-" + System.nanoTime(),
                    KafkaRoundTripBenchmark.QUESTION));
            record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
            // the orchestrator's trace context: the service's reply must continue this trace
            record.headers().add("traceparent", ("00-" + TRACE_ID + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));
            RoundTripStamps.clear();
            long start = System.nanoTime();
            RoundTripStamps.stamp(Point.SENT);
            var received = asker.sendAndReceive(record).get(KafkaRoundTripBenchmark.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            RoundTripStamps.stamp(Point.RESUMED);
            micros.add((System.nanoTime() - start) / 1_000);
            long[] stamps = RoundTripStamps.snapshot();
            // the chain the reply takes, each point from the previous one reached; the verdict event, off that chain
            // since wave 9, from the end of the token check (before the reply in wave 8's listener, after it now)
            long previous = stamps[0];
            for (Point point : Point.values()) {
                long at = stamps[point.ordinal()];
                if (point != Point.SENT && point != Point.VERDICT_SENT && at != 0) {
                    split.get(point).add((at - previous) / 1_000);
                    previous = at;
                }
            }
            if (stamps[Point.VERDICT_SENT.ordinal()] != 0) {
                split.get(Point.VERDICT_SENT).add(
                        (stamps[Point.VERDICT_SENT.ordinal()] - stamps[Point.VERIFIED.ordinal()]) / 1_000);
            }
            if (received.value().verdict() == null) {
                throw new IllegalStateException("no verdict");
            }
            if (!(responder instanceof BareResponder)) {
                var trace = received.headers().lastHeader("traceparent");
                if (trace == null || !new String(trace.value(), StandardCharsets.UTF_8).startsWith("00-" + TRACE_ID)) {
                    throw new IllegalStateException("the reply does not continue the asker's trace");
                }
            }
        }
    }

    void clear() {
        micros.clear();
        split.values().forEach(List::clear);
    }

    void stop() throws Exception {
        asker.stop();
        responder.close();
        broker.destroy();
    }

    /**
     * The floor: a plain poll loop that answers every command at once with bytes written beforehand (a reply the
     * size of the service's, the question's 384-float embedding included), echoing the correlation id to the
     * topic the asker named. No Spring, no token, no pipeline, no verdict event.
     */
    private static final class BareResponder implements AutoCloseable {

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Thread loop;

        private BareResponder(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer) {
            this.consumer = consumer;
            this.loop = Thread.ofPlatform().name("bare-responder").start(() -> answer(producer));
        }

        static BareResponder start(String brokers) {
            var consumer = new KafkaConsumer<byte[], byte[]>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                    ConsumerConfig.GROUP_ID_CONFIG, "bare-responder",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(Topics.GUARDRAILS_CHECK_INPUT));
            var producer = new KafkaProducer<byte[], byte[]>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                    ProducerConfig.LINGER_MS_CONFIG, 0),
                    new ByteArraySerializer(), new ByteArraySerializer());
            return new BareResponder(consumer, producer);
        }

        private void answer(KafkaProducer<byte[], byte[]> producer) {
            byte[] reply = replyBytes();
            try (producer; consumer) {
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<byte[], byte[]> command : consumer.poll(Duration.ofSeconds(1))) {
                        RoundTripStamps.stamp(Point.POLLED);
                        Header replyTopic = command.headers().lastHeader(KafkaHeaders.REPLY_TOPIC);
                        Header correlation = command.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
                        var answer = new ProducerRecord<>(new String(replyTopic.value(), StandardCharsets.UTF_8),
                                command.key(), reply);
                        answer.headers().add(KafkaHeaders.CORRELATION_ID, correlation.value());
                        RoundTripStamps.stamp(Point.REPLY_HANDED);
                        producer.send(answer);
                    }
                }
            }
            catch (WakeupException closing) {
                // close() woke the poll
            }
        }

        private static byte[] replyBytes() {
            float[] vector = new float[384];
            var random = new Random(7);
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) random.nextGaussian() / 20;
            }
            var question = KafkaRoundTripBenchmark.QUESTION.getLast().content();
            var reply = new InputCheckedReply("chatcmpl-bare", Verdict.ALLOWED, KafkaRoundTripBenchmark.QUESTION,
                    List.of(), null, List.of(), null, List.of(), null, 0.02,
                    new TextEmbedding(TextEmbedding.MINILM_L6_V2_Q, question, vector));
            try (var json = new JacksonJsonSerializer<InputCheckedReply>()) {
                return json.serialize(Topics.GUARDRAILS_INPUT_CHECKED, reply);
            }
        }

        @Override
        public void close() throws InterruptedException {
            consumer.wakeup();
            loop.join(10_000);
        }
    }
}
