package dev.genaiplatform.guardrails.bench;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.guardrails.GuardrailsApplication;
import dev.genaiplatform.guardrails.TestTokens;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One input check over Kafka at rest, as the orchestrator makes it: a request/reply round trip through a real
 * broker to the whole service (Spring Kafka listener, token check, pipeline, reply, verdict event), one at a time,
 * with a new internal token per request (the gateway signs one per request) and the same question every time
 * (the lead's load). Wall time per round trip, measured by the asker.
 *
 * <p>Variants are the service with different property overrides, each on an embedded broker of its own (plain
 * text, no SASL or ACLs, unlike the launcher's), all started side by side in this JVM; they take turns in blocks,
 * so all meet the same moments of a noisy machine:
 * <pre>
 * guardrails/run-main.sh dev.genaiplatform.guardrails.bench.KafkaRoundTripBenchmark 10 200   # rounds, checks per variant and round
 * </pre>
 */
public final class KafkaRoundTripBenchmark {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<ChatMessage> QUESTION = List.of(
            new ChatMessage("system", "Answer from the context below and cite the passages you use.", null),
            new ChatMessage("user", "How does retrieval rank passages?", null));

    /**
     * Property overrides per variant; "as shipped" is application.yml alone. The other two are the Kafka settings
     * wave 8 tried against it (README, Latency, Wave 8): neither is shipped.
     */
    static Map<String, Map<String, Object>> variants() {
        var variants = new LinkedHashMap<String, Map<String, Object>>();
        variants.put("as shipped", Map.of());
        variants.put("listener on platform threads", Map.of("spring.threads.virtual.enabled", false));
        variants.put("no observation", Map.of("spring.kafka.listener.observation-enabled", false,
                "spring.kafka.template.observation-enabled", false));
        return variants;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String only = args.length > 2 ? args[2] : ""; // e.g. "as" runs "as shipped" alone
        List<Variant> started = new ArrayList<>();
        try {
            for (var variant : variants().entrySet()) {
                if (variant.getKey().startsWith(only)) {
                    started.add(Variant.start(variant.getKey(), variant.getValue()));
                }
            }
            for (Variant variant : started) {
                variant.block(300); // warm-up: JIT, fetch sessions, token cache, embeddings
                variant.micros.clear();
                variant.toReplySentMillis.clear();
                variant.replyBackMillis.clear();
            }
            for (int round = 0; round < rounds; round++) {
                for (Variant variant : round % 2 == 0 ? started : started.reversed()) {
                    variant.block(perRound);
                }
                System.out.printf("round %d done, load %s%n", round + 1, loadAverage());
            }
            System.out.printf("%-28s %8s %8s %8s %8s %8s%n", "variant", "checks", "p50 µs", "p90 µs", "p99 µs", "mean µs");
            for (Variant variant : started) {
                long[] sorted = variant.micros.stream().mapToLong(Long::longValue).sorted().toArray();
                System.out.printf("%-28s %8d %8d %8d %8d %8d%n", variant.name, sorted.length, at(sorted, 0.50),
                        at(sorted, 0.90), at(sorted, 0.99), (long) Arrays.stream(sorted).average().orElse(0));
            }
            // Where the round trip goes, split at the reply's create time (stamped by guardrails' producer when it
            // sends the reply; both clocks are this machine's, millisecond resolution): the command's way there plus
            // the service's work, then the reply's way back to the asker.
            System.out.printf("%-28s %22s %22s%n", "variant", "to reply sent p50/p90 ms", "reply back p50/p90 ms");
            for (Variant variant : started) {
                long[] there = variant.toReplySentMillis.stream().mapToLong(Long::longValue).sorted().toArray();
                long[] back = variant.replyBackMillis.stream().mapToLong(Long::longValue).sorted().toArray();
                System.out.printf("%-28s %14d / %5d %14d / %5d%n", variant.name, at(there, 0.50), at(there, 0.90),
                        at(back, 0.50), at(back, 0.90));
            }
        }
        finally {
            for (Variant variant : started) {
                variant.stop();
            }
            System.exit(0);
        }
    }

    private static long at(long[] sorted, double quantile) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))];
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        }
        catch (Exception unreadable) {
            return "?";
        }
    }

    private record Variant(String name, EmbeddedKafkaKraftBroker broker, ConfigurableApplicationContext service,
                           ReplyingKafkaTemplate<String, CheckInputCommand, InputCheckedReply> asker, List<Long> micros,
                           List<Long> toReplySentMillis, List<Long> replyBackMillis) {

        static Variant start(String name, Map<String, Object> overrides) throws Exception {
            var broker = new EmbeddedKafkaKraftBroker(1, 3, Topics.GUARDRAILS_INPUT_CHECKED);
            broker.afterPropertiesSet();
            var properties = new LinkedHashMap<String, Object>();
            properties.put("spring.kafka.bootstrap-servers", broker.getBrokersAsString());
            properties.put("server.port", 0);
            properties.put("management.server.port", 0);
            properties.put("logging.level.org.apache.kafka", "warn");
            properties.put("spring.jmx.enabled", false);
            properties.putAll(overrides);
            // as command-line arguments: they outrank application.yml, as the launcher's environment does
            String[] arguments = properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue())
                    .toArray(String[]::new);
            ConfigurableApplicationContext service = new SpringApplicationBuilder(GuardrailsApplication.class,
                    TestTokens.Decoder.class).run(arguments);
            var producers = new DefaultKafkaProducerFactory<String, CheckInputCommand>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                    ProducerConfig.LINGER_MS_CONFIG, 0,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, JacksonJsonSerializer.class));
            var consumers = new DefaultKafkaConsumerFactory<>(Map.<String, Object>of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                    ConsumerConfig.GROUP_ID_CONFIG, "bench-orchestrator",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                    new StringDeserializer(), new JacksonJsonDeserializer<>(InputCheckedReply.class));
            var asker = new ReplyingKafkaTemplate<>(producers,
                    new KafkaMessageListenerContainer<>(consumers, new ContainerProperties(Topics.GUARDRAILS_INPUT_CHECKED)));
            asker.setDefaultReplyTimeout(TIMEOUT);
            asker.start();
            asker.waitForAssignment(TIMEOUT);
            return new Variant(name, broker, service, asker, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        void block(int checks) throws Exception {
            for (int i = 0; i < checks; i++) {
                String token = TestTokens.token("tenant-bench", "chat"); // signed outside the timed part
                var record = new ProducerRecord<String, CheckInputCommand>(Topics.GUARDRAILS_CHECK_INPUT,
                        "conversation-" + i, new CheckInputCommand("chatcmpl-" + System.nanoTime(), QUESTION));
                record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
                long startMillis = System.currentTimeMillis();
                long start = System.nanoTime();
                var received = asker.sendAndReceive(record).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                micros.add((System.nanoTime() - start) / 1_000);
                long endMillis = System.currentTimeMillis();
                toReplySentMillis.add(received.timestamp() - startMillis);
                replyBackMillis.add(endMillis - received.timestamp());
                InputCheckedReply reply = received.value();
                if (reply.verdict() == null) {
                    throw new IllegalStateException("no verdict");
                }
            }
        }

        void stop() {
            asker.stop();
            service.close();
            broker.destroy();
        }
    }
}
