package dev.genaiplatform.retrieval.bench;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.retrieval.SearchCommand;
import dev.genaiplatform.contracts.retrieval.SearchResultReply;
import dev.genaiplatform.contracts.retrieval.TextEmbedding;
import dev.genaiplatform.retrieval.RetrievalApplication;
import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import dev.genaiplatform.retrieval.security.CachingJwtDecoder;
import dev.genaiplatform.retrieval.security.SecurityConfiguration;
import dev.genaiplatform.retrieval.support.TestPostgres;
import dev.genaiplatform.retrieval.support.TestTokens;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: what one search over Kafka costs the service and the broker, per variant of the service's settings, side
 * by side in one JVM (issue 13). The whole service runs (real embedded broker, zonky PostgreSQL, the fixture corpus); an
 * orchestrator stand-in sends searches one after another with the query's vector handed on, as the platform does, and
 * with a new internal token on every search, as every chat request brings one (tokens are signed before the timed block,
 * so the signing is not measured). Each variant is a fresh application context; variants alternate, round after round.
 * Measured: the process's CPU time per search (service, broker and asker are one JVM here), the search consumers'
 * offset commits and fetch requests per search (the Kafka client's own counters), and round-trip wall time.
 * Arguments: rounds (default 2), searches per round and variant (default 1000), variants (default {@code wave7}: the
 * token and catalogue variants of Wave 7; {@code wave5}: the commit settings of Wave 5).
 */
public final class KafkaSearchCostBenchmark {

    /** @param jdkVerification verify tokens as before Wave 7 (Nimbus's JDK ECDSA verifier), see {@link JdkVerification} */
    private record Variant(String name, Map<String, String> properties, boolean jdkVerification) {
        Variant(String name, Map<String, String> properties) {
            this(name, properties, false);
        }
    }

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

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int searches = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        List<Variant> variants = args.length > 2 && args[2].equals("wave5") ? WAVE5 : WAVE7;
        System.out.println("load average at the start: " + Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
        var broker = new EmbeddedKafkaKraftBroker(1, 3, Topics.RETRIEVAL_SEARCH_RESULT, Topics.RETRIEVAL_SEARCH);
        broker.afterPropertiesSet();
        String database = TestPostgres.newDatabase();
        TextEmbedding vector = new TextEmbedding(TextEmbedding.MINILM_L6_V2_Q, QUERY, new MiniLmEmbeddingModel().embed(QUERY));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Variant variant : variants) {
                try (ConfigurableApplicationContext service = start(broker, database, variant)) {
                    ReplyingKafkaTemplate<String, Object, SearchResultReply> asker = asker(broker);
                    try {
                        for (String token : tokens(200)) {
                            ask(asker, vector, "warm", token);
                        }
                        List<String> tokens = tokens(searches);
                        MessageListenerContainer container = service.getBean(KafkaListenerEndpointRegistry.class)
                                .getListenerContainer("retrieval-search");
                        double commits = sum(container, "commit-total");
                        double fetches = sum(container, "fetch-total");
                        long cpu = os.getProcessCpuTime();
                        long[] nanos = new long[searches];
                        for (int i = 0; i < searches; i++) {
                            long t = System.nanoTime();
                            ask(asker, vector, "r" + round + "-" + i, tokens.get(i));
                            nanos[i] = System.nanoTime() - t;
                        }
                        double cpuMs = (os.getProcessCpuTime() - cpu) / 1e6 / searches;
                        java.util.Arrays.sort(nanos);
                        results.computeIfAbsent(variant.name(), k -> new ArrayList<>()).add(new double[]{cpuMs,
                                (sum(container, "commit-total") - commits) / searches, (sum(container, "fetch-total") - fetches) / searches,
                                nanos[searches / 2] / 1e6, nanos[(int) Math.ceil(searches * 0.99) - 1] / 1e6});
                        System.out.printf(Locale.ROOT, "round %d, %s: CPU %.2f ms/search, load %.1f%n", round, variant.name(),
                                cpuMs, os.getSystemLoadAverage());
                    } finally {
                        asker.stop();
                    }
                }
            }
        }
        System.out.println("| variant | CPU per search (service + broker + asker) | commits per search | fetches per search | p50 | p99 |");
        System.out.println("|---|---|---|---|---|---|");
        results.forEach((name, rows) -> {
            double[] mean = new double[5];
            rows.forEach(row -> {
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += row[i] / rows.size();
                }
            });
            System.out.printf(Locale.ROOT, "| %s | %.2f ms | %.3f | %.2f | %.2f ms | %.2f ms |%n", name, mean[0], mean[1], mean[2], mean[3], mean[4]);
        });
        System.out.println("load average at the end: " + Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
        broker.destroy();
        System.exit(0);
    }

    private static ConfigurableApplicationContext start(EmbeddedKafkaKraftBroker broker, String database, Variant variant) throws Exception {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--spring.datasource.url=" + database, "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                "--platform.security.jwk-set-uri=" + TestTokens.jwkSetUri(),
                "--platform.retrieval.documents=classpath*:fixture-docs/**/*.md",
                "--platform.retrieval.index-dir=" + Files.createTempDirectory("kafka-cost-"),
                "--logging.level.root=WARN", "--logging.level.org.apache.kafka=ERROR"));
        variant.properties().forEach((key, value) -> args.add("--" + key + "=" + value));
        SpringApplication application = variant.jdkVerification()
                ? new SpringApplication(RetrievalApplication.class, JdkVerification.class) : new SpringApplication(RetrievalApplication.class);
        ConfigurableApplicationContext context = application.run(args.toArray(String[]::new));
        MessageListenerContainer container = context.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer("retrieval-search");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while ((container == null || !container.isRunning() || container.getAssignedPartitions() == null
                || container.getAssignedPartitions().size() < 3) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return context;
    }

    private static ReplyingKafkaTemplate<String, Object, SearchResultReply> asker(EmbeddedKafkaKraftBroker broker) throws InterruptedException {
        Map<String, Object> producer = new HashMap<>(KafkaTestUtils.producerProps(broker.getBrokersAsString()));
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, JacksonJsonSerializer.class);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        Map<String, Object> consumer = new HashMap<>(KafkaTestUtils.consumerProps(broker.getBrokersAsString(), "asker", false));
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        var deserializer = new JacksonJsonDeserializer<>(SearchResultReply.class).trustedPackages("dev.genaiplatform.contracts.*");
        var properties = new ContainerProperties(Topics.RETRIEVAL_SEARCH_RESULT);
        var replies = new KafkaMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(consumer, new StringDeserializer(), deserializer), properties);
        var asker = new ReplyingKafkaTemplate<>(new DefaultKafkaProducerFactory<>(producer), replies);
        asker.setDefaultReplyTimeout(Duration.ofSeconds(120));
        asker.start();
        asker.waitForAssignment(Duration.ofSeconds(30));
        return asker;
    }

    /** One token per request, as the gateway signs one per admitted request. */
    private static List<String> tokens(int count) {
        List<String> tokens = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tokens.add(TestTokens.token("bench-tenant", "bench-group"));
        }
        return tokens;
    }

    private static void ask(ReplyingKafkaTemplate<String, Object, SearchResultReply> asker, TextEmbedding vector, String id,
                            String token) throws Exception {
        var record = new ProducerRecord<String, Object>(Topics.RETRIEVAL_SEARCH, id,
                new SearchCommand(id, QUERY, 4, List.of(), null, null, null, vector));
        record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
        asker.sendAndReceive(record).get(120, TimeUnit.SECONDS);
    }

    /** A consumer metric summed over the container's consumers (one per partition here). */
    private static double sum(MessageListenerContainer container, String metric) {
        double total = 0;
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
