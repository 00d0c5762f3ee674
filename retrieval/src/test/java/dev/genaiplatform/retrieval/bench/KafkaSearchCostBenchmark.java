package dev.genaiplatform.retrieval.bench;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.retrieval.SearchCommand;
import dev.genaiplatform.contracts.retrieval.SearchResultReply;
import dev.genaiplatform.contracts.retrieval.TextEmbedding;
import dev.genaiplatform.retrieval.RetrievalApplication;
import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import dev.genaiplatform.retrieval.messaging.ReplyVariants;
import dev.genaiplatform.retrieval.messaging.StageClock;
import dev.genaiplatform.retrieval.security.SecurityConfiguration;
import dev.genaiplatform.retrieval.support.TestPostgres;
import dev.genaiplatform.retrieval.support.TestTokens;
import dev.genaiplatform.tokenverification.CachingJwtDecoder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.requestreply.CorrelationKey;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Not a test: what one search over Kafka costs, per variant of the service, side by side in one JVM (issue 13). The
 * whole service runs (real embedded broker, zonky PostgreSQL, the fixture corpus); an orchestrator stand-in sends
 * searches one after another with the query's vector handed on and a new internal token on every search, as the platform
 * does (tokens are signed before the timed block). The platform's Kafka as of Wave 9: the broker writes offset commits at
 * once ({@code group.coordinator.append.linger.ms=0}, as the launcher's broker), and the asker is a {@link
 * ReplyingKafkaTemplate} whose reply consumer never commits (ack mode MANUAL, never acknowledged, as the orchestrator's).
 * Variant {@code bare} is the floor on the same broker: a plain {@link KafkaConsumer} poll loop answering each request
 * with a real reply's bytes through a plain {@link KafkaProducer}, no Spring, no search.
 *
 * <p>Wave 9's variants share one application context ({@link ReplyVariants} adds the {@code @SendTo} and platform-thread
 * listeners beside the service's own), earlier waves' are each a fresh context; variants alternate in blocks, round after
 * round. Measured: round-trip
 * wall time (p50, p90), its split at the points of {@link StageClock} (nanoTime in this JVM: asked, request polled by the
 * service, listener's answer entered, token verified, answer ready, reply handed to the producer, reply polled by the
 * asker, caller has it), the process's CPU per search (service, broker and asker together) and the search consumers'
 * commits and fetches per search. Arguments: rounds (default 3), searches per round and variant (default 1000),
 * variants ({@code wave9}, default: {@code @SendTo} before, the service's listener (plain send) after, plain send on
 * platform threads, bare;
 * {@code wave7}; {@code wave5}), rounds left out of the summary as JIT warm-up (default 2).
 */
public final class KafkaSearchCostBenchmark {

    /**
     * @param jdkVerification verify tokens as before Wave 7 (Nimbus's JDK ECDSA verifier), see {@link JdkVerification}
     * @param topic           where its searches go: the service's topic, or one of {@link ReplyVariants}' or the bare responder's
     */
    private record Variant(String name, Map<String, String> properties, boolean jdkVerification, String topic) {
        Variant(String name, Map<String, String> properties) {
            this(name, properties, false, Topics.RETRIEVAL_SEARCH);
        }

        Variant(String name, Map<String, String> properties, boolean jdkVerification) {
            this(name, properties, jdkVerification, Topics.RETRIEVAL_SEARCH);
        }

        boolean bare() {
            return topic.equals(BARE_TOPIC);
        }
    }

    private static final String BARE_TOPIC = "bench.bare-search";

    /** Wave 9: one context, its listeners side by side (block after block), and the bare floor on the same broker. */
    private static final List<Variant> WAVE9 = List.of(
            new Variant("@SendTo reply (before)", Map.of(), false, ReplyVariants.SEND_TO_TOPIC),
            new Variant("plain KafkaTemplate.send reply (after: the service's listener)", Map.of()),
            new Variant("plain send, listener on platform threads", Map.of(), false, ReplyVariants.PLATFORM_THREADS_TOPIC),
            new Variant("bare consumer + producer (floor)", Map.of(), false, BARE_TOPIC));

    private static final List<Variant> WAVE5 = List.of(
            new Variant("commit after every poll (before)", Map.of("platform.retrieval.search-commit-interval", "0s")),
            new Variant("commit every 5 s (after)", Map.of("platform.retrieval.search-commit-interval", "5s")),
            new Variant("commit every 5 s, tracing sampled 0 %", Map.of("platform.retrieval.search-commit-interval", "5s",
                    "management.tracing.sampling.probability", "0.0")));

    private static final List<Variant> WAVE7 = List.of(
            new Variant("JDK ES256 verification, store rows read per search (before)",
                    Map.of("platform.retrieval.store-list-ttl", "0s"), true),
            new Variant("JDK ES256 verification, store rows kept", Map.of(), true),
            new Variant("precomputed ES256 verification, store rows kept (after)", Map.of()));

    private static final String QUERY = "How is a card number's check digit verified?";
    /** A real reply's JSON, taken from the service's first answer, for the bare responder to send. */
    private static final AtomicReference<byte[]> REPLY_BYTES = new AtomicReference<>();

    /** Ends the JVM either way: a failed run would otherwise leave its broker, database and service running. */
    public static void main(String[] args) throws Exception {
        int status = 1;
        try {
            run(args);
            status = 0;
        } finally {
            System.exit(status);
        }
    }

    private static void run(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int searches = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        String set = args.length > 2 ? args[2] : "wave9";
        List<Variant> variants = switch (set) {
            case "wave5" -> WAVE5;
            case "wave7" -> WAVE7;
            default -> WAVE9;
        };
        System.out.println("load average at the start: " + loadAverage());
        var broker = new EmbeddedKafkaKraftBroker(1, 3, Topics.RETRIEVAL_SEARCH_RESULT, Topics.RETRIEVAL_SEARCH, BARE_TOPIC,
                ReplyVariants.SEND_TO_TOPIC, ReplyVariants.PLATFORM_THREADS_TOPIC);
        broker.brokerProperties(Map.of("group.coordinator.append.linger.ms", "0"));
        broker.afterPropertiesSet();
        String database = TestPostgres.newDatabase();
        TextEmbedding vector = new TextEmbedding(TextEmbedding.MINILM_L6_V2_Q, QUERY, new MiniLmEmbeddingModel().embed(QUERY));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ReplyingKafkaTemplate<String, Object, SearchResultReply> asker = asker(broker);
        Thread.ofPlatform().daemon().name("bare-responder").start(() -> bareResponder(broker));
        Map<String, List<Block>> results = new LinkedHashMap<>();
        boolean shared = variants == WAVE9;
        ConfigurableApplicationContext sharedService = shared ? start(broker, database, new Variant("shared", Map.of())) : null;
        for (int round = 0; round < rounds; round++) {
            for (Variant variant : variants) {
                if (variant.bare() && REPLY_BYTES.get() == null) {
                    continue;   // no real reply to send yet (a service variant runs first)
                }
                ConfigurableApplicationContext service = variant.bare() ? null : shared ? sharedService : start(broker, database, variant);
                try {
                    for (String token : tokens(round == 0 ? 500 : 100)) {
                        SearchResultReply reply = ask(asker, variant.topic(), vector, "warm-" + UUID.randomUUID(), token);
                        REPLY_BYTES.compareAndSet(null, new JacksonJsonSerializer<SearchResultReply>().serialize(variant.topic(), reply));
                    }
                    List<String> tokens = tokens(searches);
                    MessageListenerContainer container = service == null ? null : service.getBean(KafkaListenerEndpointRegistry.class)
                            .getListenerContainer(listenerId(variant));
                    double commits = sum(container, "commit-total");
                    double fetches = sum(container, "fetch-total");
                    long cpu = os.getProcessCpuTime();
                    List<long[]> times = new ArrayList<>(searches);
                    for (int i = 0; i < searches; i++) {
                        String key = "r" + round + "-" + i + "-" + variant.name().hashCode();
                        StageClock.begin(key);
                        ask(asker, variant.topic(), vector, key, tokens.get(i));
                        times.add(StageClock.end(key));
                    }
                    double cpuMs = (os.getProcessCpuTime() - cpu) / 1e6 / searches;
                    Block block = new Block(times, cpuMs, (sum(container, "commit-total") - commits) / searches,
                            (sum(container, "fetch-total") - fetches) / searches);
                    results.computeIfAbsent(variant.name(), k -> new ArrayList<>()).add(block);
                    System.out.printf(Locale.ROOT, "round %d, %s: p50 %.2f ms, p90 %.2f ms, CPU %.2f ms/search, load %s%n", round,
                            variant.name(), block.percentile(Block.TOTAL, 0.5), block.percentile(Block.TOTAL, 0.9), cpuMs, loadAverage());
                } finally {
                    if (service != null && !shared) {
                        service.close();
                    }
                }
            }
        }
        if (sharedService != null) {
            sharedService.close();
        }
        int warmUpRounds = args.length > 3 ? Integer.parseInt(args[3]) : Math.min(2, rounds - 1);
        System.out.printf("summary of rounds %d to %d (the first %d left out: the JIT is still compiling)%n", warmUpRounds, rounds - 1,
                warmUpRounds);
        results.replaceAll((name, blocks) -> blocks.subList(Math.min(warmUpRounds, blocks.size() - 1), blocks.size()));
        print(results);
        System.out.println("load average at the end: " + loadAverage());
        asker.stop();
        broker.destroy();
    }

    /** One block's round trips: each a {@link StageClock} row (0 where a point was not passed). */
    private record Block(List<long[]> times, double cpuMs, double commits, double fetches) {
        static final String TOTAL = "round trip";

        /** The block's stage durations by name: consecutive points that were passed, and the whole round trip. */
        Map<String, double[]> stages() {
            Map<String, List<Double>> stages = new LinkedHashMap<>();
            StageClock.Point[] points = StageClock.Point.values();
            for (long[] row : times) {
                stages.computeIfAbsent(TOTAL, k -> new ArrayList<>()).add((row[points.length - 1] - row[0]) / 1e6);
                int previous = 0;
                for (int i = 1; i < points.length; i++) {
                    if (row[i] != 0) {
                        String name = label(points[previous]) + " -> " + label(points[i]);
                        stages.computeIfAbsent(name, k -> new ArrayList<>()).add((row[i] - row[previous]) / 1e6);
                        previous = i;
                    }
                }
            }
            Map<String, double[]> sorted = new LinkedHashMap<>();
            stages.forEach((name, values) -> sorted.put(name, values.stream().mapToDouble(Double::doubleValue).sorted().toArray()));
            return sorted;
        }

        double percentile(String stage, double p) {
            return percentile(stages().get(stage), p);
        }

        static double percentile(double[] sorted, double p) {
            return sorted == null || sorted.length == 0 ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)];
        }
    }

    private static String listenerId(Variant variant) {
        return switch (variant.topic()) {
            case ReplyVariants.SEND_TO_TOPIC -> ReplyVariants.SEND_TO_ID;
            case ReplyVariants.PLATFORM_THREADS_TOPIC -> ReplyVariants.PLATFORM_THREADS_ID;
            default -> "retrieval-search";
        };
    }

    private static String label(StageClock.Point point) {
        return switch (point) {
            case ASKED -> "asked";
            case POLLED -> "request polled";
            case ANSWERING -> "listener entered";
            case TOKEN_VERIFIED -> "token verified";
            case ANSWERED -> "search done";
            case REPLY_HANDED -> "reply handed to producer";
            case REPLY_POLLED -> "reply polled by asker";
            case CALLER_HAS_IT -> "caller has it";
        };
    }

    /** Per variant: the mean over rounds of each block's p50 and p90, for the round trip and every stage. */
    private static void print(Map<String, List<Block>> results) {
        System.out.println("| variant | round trip p50 | p90 | CPU per search (whole JVM) | commits per search | fetches per search |");
        System.out.println("|---|---|---|---|---|---|");
        results.forEach((name, blocks) -> System.out.printf(Locale.ROOT, "| %s | %.2f ms | %.2f ms | %.2f ms | %.3f | %.2f |%n", name,
                mean(blocks, b -> b.percentile(Block.TOTAL, 0.5)), mean(blocks, b -> b.percentile(Block.TOTAL, 0.9)),
                mean(blocks, Block::cpuMs), mean(blocks, Block::commits), mean(blocks, Block::fetches)));
        System.out.println();
        System.out.println("| variant | stage | p50 | p90 |");
        System.out.println("|---|---|---|---|");
        results.forEach((name, blocks) -> blocks.getFirst().stages().keySet().stream().filter(stage -> !stage.equals(Block.TOTAL))
                .forEach(stage -> System.out.printf(Locale.ROOT, "| %s | %s | %.3f ms | %.3f ms |%n", name, stage,
                        mean(blocks, b -> b.percentile(stage, 0.5)), mean(blocks, b -> b.percentile(stage, 0.9)))));
    }

    private static double mean(List<Block> blocks, java.util.function.ToDoubleFunction<Block> value) {
        return blocks.stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    private static String loadAverage() throws java.io.IOException {
        return Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    }

    private static ConfigurableApplicationContext start(EmbeddedKafkaKraftBroker broker, String database, Variant variant) throws Exception {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--spring.kafka.consumer.properties.interceptor.classes=" + StageClock.Polled.class.getName(),
                "--spring.kafka.producer.properties.interceptor.classes=" + StageClock.ReplyHanded.class.getName(),
                "--spring.datasource.url=" + database, "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                "--platform.security.jwk-set-uri=" + TestTokens.jwkSetUri(),
                "--platform.retrieval.documents=classpath*:fixture-docs/**/*.md",
                "--platform.retrieval.index-dir=" + Files.createTempDirectory("kafka-cost-"),
                "--logging.level.root=WARN", "--logging.level.org.apache.kafka=ERROR"));
        variant.properties().forEach((key, value) -> args.add("--" + key + "=" + value));
        List<Class<?>> sources = new ArrayList<>(List.of(RetrievalApplication.class, StageClock.class));
        if (variant.jdkVerification()) {
            sources.add(JdkVerification.class);
        }
        if (variant.name().equals("shared")) {
            sources.add(ReplyVariants.class);
        }
        ConfigurableApplicationContext context = new SpringApplication(sources.toArray(Class<?>[]::new)).run(args.toArray(String[]::new));
        var registry = context.getBean(KafkaListenerEndpointRegistry.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        for (String id : registry.getListenerContainerIds()) {
            MessageListenerContainer container = registry.getListenerContainer(id);
            while ((!container.isRunning() || container.getAssignedPartitions() == null
                    || container.getAssignedPartitions().isEmpty()) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        }
        return context;
    }

    /** The orchestrator's asker: replies consumed by a group of its own that never commits (ack mode MANUAL, never acknowledged). */
    private static ReplyingKafkaTemplate<String, Object, SearchResultReply> asker(EmbeddedKafkaKraftBroker broker) throws InterruptedException {
        Map<String, Object> producer = new HashMap<>(KafkaTestUtils.producerProps(broker.getBrokersAsString()));
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, JacksonJsonSerializer.class);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        Map<String, Object> consumer = new HashMap<>(KafkaTestUtils.consumerProps(broker.getBrokersAsString(),
                "asker-" + UUID.randomUUID(), false));
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumer.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, StageClock.ReplyPolled.class.getName());
        var deserializer = new JacksonJsonDeserializer<>(SearchResultReply.class).trustedPackages("dev.genaiplatform.contracts.*");
        var properties = new ContainerProperties(Topics.RETRIEVAL_SEARCH_RESULT);
        properties.setAckMode(ContainerProperties.AckMode.MANUAL);
        var replies = new KafkaMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(consumer, new StringDeserializer(), deserializer), properties);
        var asker = new ReplyingKafkaTemplate<>(new DefaultKafkaProducerFactory<>(producer), replies);
        asker.setSharedReplyTopic(true);
        asker.setCorrelationIdStrategy(record -> new CorrelationKey(ByteBuffer.allocate(16)
                .putLong(ThreadLocalRandom.current().nextLong()).putLong(ThreadLocalRandom.current().nextLong()).array()));
        asker.setDefaultReplyTimeout(Duration.ofSeconds(120));
        asker.start();
        // a fresh broker's group coordinator may take a while: a reply sent before the asker is assigned is never read
        if (!asker.waitForAssignment(Duration.ofSeconds(600))) {
            throw new IllegalStateException("the asker's reply consumer got no partitions");
        }
        return asker;
    }

    /**
     * The floor: a bare poll loop (partitions assigned, nothing committed) answering each request with a real reply's bytes
     * and the request's correlation id, on the topic its reply header names; no JSON either way on this side.
     */
    private static void bareResponder(EmbeddedKafkaKraftBroker broker) {
        Map<String, Object> consumerProps = new HashMap<>(KafkaTestUtils.consumerProps(broker.getBrokersAsString(), "bare", false));
        Map<String, Object> producerProps = new HashMap<>(KafkaTestUtils.producerProps(broker.getBrokersAsString()));
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        try (var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
             var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
            consumer.assign(consumer.partitionsFor(BARE_TOPIC).stream().map(p -> new TopicPartition(BARE_TOPIC, p.partition())).toList());
            consumer.seekToEnd(consumer.assignment());
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> request : consumer.poll(Duration.ofMillis(100))) {
                    StageClock.mark(request.key(), StageClock.Point.POLLED);
                    var reply = new ProducerRecord<>(new String(request.headers().lastHeader(KafkaHeaders.REPLY_TOPIC).value(),
                            StandardCharsets.UTF_8), null, request.key(), REPLY_BYTES.get());
                    reply.headers().add(KafkaHeaders.CORRELATION_ID, request.headers().lastHeader(KafkaHeaders.CORRELATION_ID).value());
                    StageClock.mark(request.key(), StageClock.Point.REPLY_HANDED);
                    producer.send(reply);
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException stopped) {
            // the run is over
        }
    }

    /** One token per request, as the gateway signs one per admitted request. */
    private static List<String> tokens(int count) {
        List<String> tokens = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tokens.add(TestTokens.token("bench-tenant", "bench-group"));
        }
        return tokens;
    }

    private static SearchResultReply ask(ReplyingKafkaTemplate<String, Object, SearchResultReply> asker, String topic,
                                         TextEmbedding vector, String id, String token) throws Exception {
        var record = new ProducerRecord<String, Object>(topic, id, new SearchCommand(id, QUERY, 4, List.of(), null, null, null, vector));
        record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
        return asker.sendAndReceive(record).get(120, TimeUnit.SECONDS).value();
    }

    /** A consumer metric summed over the container's consumers (one per partition here). */
    private static double sum(MessageListenerContainer container, String metric) {
        double total = 0;
        if (container == null) {
            return 0;
        }
        for (Map<MetricName, ? extends Metric> metrics : container.metrics().values()) {
            for (var entry : metrics.entrySet()) {
                if (entry.getKey().name().equals(metric) && entry.getKey().tags().size() == 1
                        && entry.getValue().metricValue() instanceof Number number) {
                    total += number.doubleValue();
                }
            }
        }
        return total;
    }

    /**
     * The service's token decoder as it was before Wave 7: Nimbus's default verifier (the JDK's ECDSA, the gateway's
     * point rebuilt on every verification) and Spring's default claim conversion. Registered as an extra source, not
     * scanned (no {@code @Configuration}), so only the variants that ask for it get it.
     */
    static class JdkVerification {
        @Bean
        @Primary
        JwtDecoder jdkVerifiedInternalTokenDecoder() {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(TestTokens.jwkSetUri()).jwsAlgorithm(SignatureAlgorithm.ES256).build();
            decoder.setJwtValidator(SecurityConfiguration.internalTokenValidator());
            return new CachingJwtDecoder(decoder);
        }
    }
}
