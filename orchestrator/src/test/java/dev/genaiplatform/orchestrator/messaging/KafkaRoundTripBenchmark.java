package dev.genaiplatform.orchestrator.messaging;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.contracts.retrieval.SearchCommand;
import dev.genaiplatform.contracts.retrieval.SearchResultReply;
import dev.genaiplatform.contracts.retrieval.TextEmbedding;
import dev.genaiplatform.orchestrator.guardrails.GuardrailsClient;
import dev.genaiplatform.orchestrator.retrieval.RetrievalClient;
import dev.genaiplatform.orchestrator.security.Caller;
import dev.genaiplatform.orchestrator.support.TestRedis;
import dev.genaiplatform.orchestrator.support.TestTokens;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ProducerFactory;
import io.micrometer.observation.Observation;
import org.springframework.context.ApplicationContext;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Not a test (no assertions on time): where a request/reply round trip goes on the orchestrator's side of the wire.
 * The real {@link GuardrailsClient} and {@link RetrievalClient} (the application's templates, producer, reply
 * containers and deserialisers) ask a bare responder (a {@link KafkaConsumer} poll loop answering with a
 * {@link KafkaProducer}, prepared replies: the input check's carries a 384-float embedding, the search's four
 * passages), alternating with a bare asker on the same broker in the same run (the floor). The broker writes offset
 * commits at once ({@code group.coordinator.append.linger.ms=0}), as the launcher's does.
 *
 * <p>Each round trip is split with {@code System.nanoTime} (one JVM): the caller starts; the command reaches the
 * producer (a producer interceptor); the responder's poll returns it; the responder hands its reply to its producer;
 * the reply consumer's poll returns it, deserialised (a consumer interceptor); the template matches it to the waiting
 * request (its reply checker, just before the future completes); the waiting virtual thread resumes.
 *
 * <p>Wave 9's side by side: "before" is the same template with Spring Kafka's observation per send (a producer span
 * and a timer, which wrote {@code traceparent}), "after" the application's clients as shipped
 * ({@link CommandTraceContext} writes the asking span's context); each ask runs inside a span, as in the chat flow. Run:
 * {@code ./mvnw -B -q -pl orchestrator -am verify -Dit.test=KafkaRoundTripBenchmark -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false} ({@code -DroundTrip.rounds=N}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "management.server.port=0", "logging.level.dev.genaiplatform=WARN",
        "spring.kafka.producer.properties.interceptor.classes="
                + "dev.genaiplatform.orchestrator.messaging.KafkaRoundTripBenchmark$SendStamp",
        "spring.kafka.consumer.properties.interceptor.classes="
                + "dev.genaiplatform.orchestrator.messaging.KafkaRoundTripBenchmark$ConsumeStamp"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
        brokerProperties = "group.coordinator.append.linger.ms=0", topics = {
        Topics.GUARDRAILS_CHECK_INPUT, Topics.GUARDRAILS_INPUT_CHECKED, Topics.GUARDRAILS_CHECK_OUTPUT,
        Topics.GUARDRAILS_OUTPUT_CHECKED, Topics.RETRIEVAL_SEARCH, Topics.RETRIEVAL_SEARCH_RESULT,
        Topics.CHAT_COMPLETION_RECORDED, KafkaRoundTripBenchmark.BARE_REQUESTS, KafkaRoundTripBenchmark.BARE_REPLIES,
        KafkaRoundTripBenchmark.OBSERVED_INPUT_REPLIES, KafkaRoundTripBenchmark.OBSERVED_SEARCH_REPLIES})
class KafkaRoundTripBenchmark {

    static final String BARE_REQUESTS = "bench.bare-requested.v1";
    static final String BARE_REPLIES = "bench.bare-answered.v1";
    static final String OBSERVED_INPUT_REPLIES = "bench.observed-input-checked.v1";
    static final String OBSERVED_SEARCH_REPLIES = "bench.observed-search-result.v1";
    private static final Map<String, Boolean> VIRTUAL_POLLER = new ConcurrentHashMap<>();
    /** Per reply topic: commands that carried one traceparent or more, and commands without. */
    private static final Map<String, java.util.concurrent.atomic.AtomicIntegerArray> TRACED = new ConcurrentHashMap<>();
    private static final int ROUNDS = Integer.getInteger("roundTrip.rounds", 600);
    private static final int WARM_UP = 300;

    /** The split points, in order. */
    private static final String[] POINTS = {"command reaches the producer", "responder's poll returns it",
            "responder hands the reply over", "reply consumer's poll returns it (deserialised)",
            "template matches it (future completes)", "waiting virtual thread resumes"};
    private static final Map<String, long[]> STAMPS = new ConcurrentHashMap<>();
    private static final ThreadLocal<String> LAST_SENT = new ThreadLocal<>();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("platform.security.jwk-set-uri", TestTokens::jwksUri);
        registry.add("spring.data.redis.port", TestRedis::port);
    }

    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void measure(@Autowired GuardrailsClient guardrails, @Autowired RetrievalClient retrieval,
                 @Autowired ReplyingKafkaTemplate<String, CheckInputCommand, InputCheckedReply> guardrailsTemplate,
                 @Autowired ReplyingKafkaTemplate<String, SearchCommand, SearchResultReply> retrievalTemplate,
                 @Autowired KafkaProperties kafka,
                 @Autowired ProducerFactory<String, CheckInputCommand> producers,
                 @Autowired ConcurrentKafkaListenerContainerFactory<String, InputCheckedReply> containers,
                 @Autowired ProducerFactory<String, SearchCommand> searchProducers,
                 @Autowired ConcurrentKafkaListenerContainerFactory<String, SearchResultReply> searchContainers,
                 @Autowired ObservationRegistry observations, @Autowired ApplicationContext context)
            throws Exception {
        stampMatches(guardrailsTemplate);
        stampMatches(retrievalTemplate);
        // "before wave 9": the same templates with Spring Kafka's observation per send, which wrote traceparent itself
        ReplyingKafkaTemplate<String, CheckInputCommand, InputCheckedReply> observedGuardrails =
                ReplyChannels.replyingTemplate(producers, containers, OBSERVED_INPUT_REPLIES, true);
        ReplyingKafkaTemplate<String, SearchCommand, SearchResultReply> observedRetrieval =
                ReplyChannels.replyingTemplate(searchProducers, searchContainers, OBSERVED_SEARCH_REPLIES, true);
        for (ReplyingKafkaTemplate<String, ?, ?> before : List.of(observedGuardrails, observedRetrieval)) {
            // what the container does for a template bean: hand it the registry its observations go to
            before.setApplicationContext(context);
            before.afterSingletonsInstantiated();
            stampMatches(before);
            before.start();
            before.waitForAssignment(Duration.ofSeconds(30));
        }
        KafkaRequestReply<CheckInputCommand, InputCheckedReply> guardrailsBefore = new KafkaRequestReply<>(
                observedGuardrails, "guardrails", Topics.GUARDRAILS_CHECK_INPUT, Duration.ofSeconds(5));
        KafkaRequestReply<SearchCommand, SearchResultReply> retrievalBefore = new KafkaRequestReply<>(
                observedRetrieval, "retrieval", Topics.RETRIEVAL_SEARCH, Duration.ofSeconds(5));
        Caller caller = new Caller("bench", "key", Set.of("chat"), Set.of(), "r", null, List.of(),
                Instant.now().plusSeconds(600), TestTokens.chat("bench"));
        float[] vector = new float[384];
        IntStream.range(0, vector.length).forEach(i -> vector[i] = (float) ThreadLocalRandom.current().nextGaussian() / 20);
        String question = "How does retrieval rank passages when a question matches both keywords and meaning?";
        InputCheckedReply inputReply = new InputCheckedReply("r", Verdict.ALLOWED,
                List.of(new ChatMessage("user", question)), List.of(), null, List.of(), null, List.of(), null, 0.01,
                new TextEmbedding(TextEmbedding.MINILM_L6_V2_Q, question, vector));
        SearchResultReply searchReply = new SearchResultReply("r", IntStream.range(0, 4).mapToObj(i ->
                new RetrievedChunk("architecture.md#" + i, "architecture.md", "Architecture > Retrieval", i * 800,
                        i * 800 + 780, ("Retrieval fuses BM25 and vector rankings with reciprocal rank fusion. ")
                        .repeat(11), 0.033 - i * 0.001)).toList(), 3, List.of(question), null);
        Map<String, byte[]> replies = Map.of(
                Topics.GUARDRAILS_CHECK_INPUT, json(inputReply),
                Topics.RETRIEVAL_SEARCH, json(searchReply),
                BARE_REQUESTS, json(inputReply));
        Map<String, String> replyTypes = Map.of(
                Topics.GUARDRAILS_CHECK_INPUT, InputCheckedReply.class.getName(),
                Topics.RETRIEVAL_SEARCH, SearchResultReply.class.getName(),
                BARE_REQUESTS, InputCheckedReply.class.getName());
        CheckInputCommand check = new CheckInputCommand("r", List.of(new ChatMessage("user", question)), List.of(),
                null, List.of(), null, null, "r");
        byte[] bareCommand = json(check);
        try (Responder responder = new Responder(this.broker.getBrokersAsString(), replies, replyTypes);
             BareAsker bare = new BareAsker(this.broker.getBrokersAsString())) {
            Thread.ofPlatform().name("bench-responder").start(responder);
            responder.ready.await();
            bare.start();
            Map<String, Supplier<String>> ways = new LinkedHashMap<>();
            ways.put("floor: bare producer + bare consumer, caller polls itself (platform thread)",
                    () -> bare.askInline(bareCommand));
            ways.put("floor + handoff: bare poll thread completes a future, a virtual thread waits",
                    () -> onVirtualThread(() -> bare.askHandedOff(bareCommand)));
            // every ask runs inside a span of its own, as in the chat flow (the HTTP request's), so both ways
            // write a traceparent: the observation as the parent of its send span, CommandTraceContext as is
            ways.put("before: GuardrailsClient's way with a send observation (span + timer) per command",
                    () -> onVirtualThread(() -> inSpan(observations, () -> guardrailsBefore.ask(caller.token(),
                            caller.tenantId(), "r", check))));
            ways.put("after: GuardrailsClient.check as shipped (trace context written, no send span)",
                    () -> onVirtualThread(() -> inSpan(observations, () -> guardrails.check(caller, "r", check))));
            SearchCommand search = new SearchCommand("r", question, 4, List.of(), null, null, null,
                    inputReply.questionEmbedding(), null);
            ways.put("before: RetrievalClient's way with a send observation per command",
                    () -> onVirtualThread(() -> inSpan(observations, () -> retrievalBefore.ask(caller.token(),
                            caller.tenantId(), "r", search))));
            ways.put("after: RetrievalClient.search as shipped (command + embedding; reply: 4 passages)",
                    () -> onVirtualThread(() -> inSpan(observations, () -> retrieval.search(caller, "r", question,
                            List.of(), inputReply.questionEmbedding(), null))));
            List<String> names = new ArrayList<>(ways.keySet());
            for (int i = 0; i < WARM_UP; i++) {
                ways.values().forEach(Supplier::get);
            }
            STAMPS.clear();
            Map<String, List<long[]>> splits = new LinkedHashMap<>();
            names.forEach(name -> splits.put(name, new ArrayList<>()));
            for (int round = 0; round < ROUNDS; round++) {
                for (int w = 0; w < names.size(); w++) {
                    // the order rotates every round, so no way always follows the same other way
                    String name = names.get((w + round) % names.size());
                    String correlation = ways.get(name).get();
                    long[] stamps = STAMPS.remove(correlation);
                    if (stamps != null) {
                        splits.get(name).add(stamps);
                    }
                }
            }
            report(splits);
            System.out.println("reply consumer polls on a virtual thread, per reply topic: " + VIRTUAL_POLLER);
            System.out.println("commands with a traceparent / without, per reply topic: " + TRACED);
            reportDeserialisation(replies, kafka);
        }
    }

    /** The template's reply checker runs for a matched reply just before its future completes: stamp there. */
    private static void stampMatches(ReplyingKafkaTemplate<String, ?, ?> template) {
        template.setReplyErrorChecker(record -> {
            stamp(record.headers().lastHeader(KafkaHeaders.CORRELATION_ID), 5);
            VIRTUAL_POLLER.putIfAbsent(record.topic(), Thread.currentThread().isVirtual());
            return null;
        });
    }

    private static String inSpan(ObservationRegistry observations, Runnable ask) {
        Observation.createNotStarted("bench.request", observations).observe(ask);
        return LAST_SENT.get();
    }

    private static String onVirtualThread(Supplier<String> ask) {
        String[] correlation = new String[1];
        Thread thread = Thread.ofVirtual().start(() -> {
            long start = System.nanoTime();
            String id = ask.get();
            long resumed = System.nanoTime();
            long[] stamps = STAMPS.get(id);
            if (stamps != null) {
                stamps[0] = start;
                stamps[6] = resumed;
            }
            correlation[0] = id;
        });
        try {
            thread.join();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        return correlation[0];
    }

    static void stamp(Header correlation, int point) {
        if (correlation != null) {
            STAMPS.computeIfAbsent(HexFormat.of().formatHex(correlation.value()), k -> new long[7])[point] =
                    System.nanoTime();
        }
    }

    private static byte[] json(Object value) {
        try (JacksonJsonSerializer<Object> serializer = new JacksonJsonSerializer<>()) {
            serializer.setAddTypeInfo(false);
            return serializer.serialize("t", value);
        }
    }

    private static void report(Map<String, List<long[]>> splits) {
        System.out.printf(Locale.ROOT, "%nRequest/reply split, %d rounds per way, alternating; load average %s%n",
                ROUNDS, loadAverage());
        splits.forEach((name, all) -> {
            System.out.printf(Locale.ROOT, "%s (%d)%n", name, all.size());
            row("  whole round trip (caller start -> resumed)", all, 0, 6);
            for (int p = 1; p <= 6; p++) {
                int to = p;
                int from = p - 1;
                List<long[]> both = all.stream().filter(s -> s[to] != 0 && s[from] != 0).toList();
                if (!both.isEmpty()) {
                    row("  -> " + POINTS[p - 1], both, from, to);
                }
            }
        });
    }

    private static void row(String what, List<long[]> all, int from, int to) {
        double[] ms = all.stream().mapToDouble(s -> (s[to] - s[from]) / 1e6).sorted().toArray();
        System.out.printf(Locale.ROOT, "%-72s p50 %6.3f  p90 %6.3f  mean %6.3f ms (n %d)%n", what, ms[ms.length / 2],
                ms[ms.length * 9 / 10], Arrays.stream(ms).average().orElse(0), ms.length);
    }

    /** The reply consumers' own value deserialiser, configured as the application configures it. */
    private static void reportDeserialisation(Map<String, byte[]> replies, KafkaProperties kafka) {
        try (ErrorHandlingDeserializer<Object> deserializer = new ErrorHandlingDeserializer<>()) {
            deserializer.configure(kafka.buildConsumerProperties(), false);
            for (String topic : List.of(Topics.GUARDRAILS_CHECK_INPUT, Topics.RETRIEVAL_SEARCH)) {
                Class<?> type = topic.equals(Topics.RETRIEVAL_SEARCH) ? SearchResultReply.class : InputCheckedReply.class;
                var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
                headers.add("__TypeId__", type.getName().getBytes());
                byte[] bytes = replies.get(topic);
                for (int i = 0; i < 2000; i++) {
                    deserializer.deserialize("t", headers, bytes);
                }
                long start = System.nanoTime();
                for (int i = 0; i < 2000; i++) {
                    deserializer.deserialize("t", headers, bytes);
                }
                System.out.printf(Locale.ROOT, "deserialising one %s (%d bytes of JSON): %.3f ms%n",
                        type.getSimpleName(), bytes.length, (System.nanoTime() - start) / 2000 / 1e6);
            }
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        }
        catch (java.io.IOException ex) {
            return "?";
        }
    }

    /** Stamps a command as it reaches the producer, on the caller's thread (before serialisation). */
    public static class SendStamp implements ProducerInterceptor<Object, Object> {

        @Override
        public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
            Header correlation = record.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
            if (correlation != null) {
                stamp(correlation, 1);
                LAST_SENT.set(HexFormat.of().formatHex(correlation.value()));
            }
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    /** Stamps a reply as the reply consumer's poll returns it, deserialised, before the container dispatches it. */
    public static class ConsumeStamp implements ConsumerInterceptor<Object, Object> {

        @Override
        public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
            records.forEach(record -> stamp(record.headers().lastHeader(KafkaHeaders.CORRELATION_ID), 4));
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    private static Map<String, Object> producerConfig(String brokers) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    }

    private static Map<String, Object> consumerConfig(String brokers, String group) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    }

    /** The far side: a poll loop that answers every command at once with a prepared reply; it never commits. */
    static final class Responder implements Runnable, AutoCloseable {

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final KafkaProducer<byte[], byte[]> producer;
        private final Map<String, byte[]> replies;
        private final Map<String, String> replyTypes;
        private volatile boolean running = true;
        private final CompletableFuture<Void> stopped = new CompletableFuture<>();
        final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);

        Responder(String brokers, Map<String, byte[]> replies, Map<String, String> replyTypes) {
            this.consumer = new KafkaConsumer<>(consumerConfig(brokers, "bench-responder"));
            this.producer = new KafkaProducer<>(producerConfig(brokers));
            this.replies = replies;
            this.replyTypes = replyTypes;
            this.consumer.subscribe(replies.keySet());
        }

        @Override
        public void run() {
            try {
                while (this.running) {
                    if (this.ready.getCount() > 0 && !this.consumer.assignment().isEmpty()) {
                        this.consumer.assignment().forEach(this.consumer::position);
                        this.ready.countDown();
                    }
                    for (ConsumerRecord<byte[], byte[]> command : this.consumer.poll(Duration.ofMillis(200))) {
                        Header correlation = command.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
                        stamp(correlation, 2);
                        String replyTopic = new String(command.headers().lastHeader(KafkaHeaders.REPLY_TOPIC).value());
                        TRACED.computeIfAbsent(replyTopic, k -> new java.util.concurrent.atomic.AtomicIntegerArray(2))
                                .incrementAndGet(command.headers().headers("traceparent").iterator().hasNext() ? 0 : 1);
                        ProducerRecord<byte[], byte[]> reply = new ProducerRecord<>(replyTopic, null, command.key(),
                                this.replies.get(command.topic()));
                        reply.headers().add(KafkaHeaders.CORRELATION_ID, correlation.value())
                                .add("__TypeId__", this.replyTypes.get(command.topic()).getBytes());
                        stamp(correlation, 3);   // before the send: the reply can be back before send returns
                        this.producer.send(reply);
                    }
                }
            }
            finally {
                this.consumer.close();
                this.producer.close();
                this.stopped.complete(null);
            }
        }

        @Override
        public void close() throws Exception {
            this.running = false;
            this.stopped.get();
        }
    }

    /** The floor's asker: a bare producer and a bare consumer of its own reply topic, no Spring in between. */
    static final class BareAsker implements AutoCloseable {

        private final KafkaProducer<byte[], byte[]> producer;
        private final KafkaConsumer<byte[], byte[]> inline;
        private final KafkaConsumer<byte[], byte[]> handedOff;
        private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
        private volatile boolean running = true;
        private Thread poller;

        BareAsker(String brokers) {
            this.producer = new KafkaProducer<>(producerConfig(brokers));
            this.inline = new KafkaConsumer<>(consumerConfig(brokers, "bench-inline"));
            this.handedOff = new KafkaConsumer<>(consumerConfig(brokers, "bench-handoff"));
        }

        void start() {
            List<TopicPartition> partitions = IntStream.range(0, 3).mapToObj(p -> new TopicPartition(BARE_REPLIES, p))
                    .toList();
            this.inline.assign(partitions);
            this.inline.seekToEnd(partitions);
            partitions.forEach(this.inline::position);
            this.handedOff.assign(partitions);
            this.handedOff.seekToEnd(partitions);
            partitions.forEach(this.handedOff::position);
            this.poller = Thread.ofPlatform().name("bench-bare-replies").start(() -> {
                while (this.running) {
                    for (ConsumerRecord<byte[], byte[]> reply : this.handedOff.poll(Duration.ofMillis(200))) {
                        Header correlation = reply.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
                        stamp(correlation, 4);
                        CompletableFuture<Void> future = this.waiting.remove(HexFormat.of().formatHex(correlation.value()));
                        if (future != null) {
                            stamp(correlation, 5);
                            future.complete(null);
                        }
                    }
                }
                this.handedOff.close();
            });
        }

        /** The floor: send, then poll on this very thread until the reply is there. */
        String askInline(byte[] command) {
            byte[] correlation = newCorrelation();
            String id = HexFormat.of().formatHex(correlation);
            long start = System.nanoTime();
            send(command, correlation);
            while (true) {
                for (ConsumerRecord<byte[], byte[]> reply : this.inline.poll(Duration.ofSeconds(5))) {
                    Header header = reply.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
                    if (Arrays.equals(header.value(), correlation)) {
                        long[] stamps = STAMPS.get(id);
                        if (stamps != null) {
                            stamps[0] = start;
                            stamps[4] = System.nanoTime();
                            stamps[5] = stamps[4];
                            stamps[6] = stamps[4];
                        }
                        return id;
                    }
                }
            }
        }

        /** Send, and wait for the poll thread to complete this request's future. */
        String askHandedOff(byte[] command) {
            byte[] correlation = newCorrelation();
            String id = HexFormat.of().formatHex(correlation);
            CompletableFuture<Void> reply = new CompletableFuture<>();
            this.waiting.put(id, reply);
            send(command, correlation);
            reply.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
            return id;
        }

        private void send(byte[] command, byte[] correlation) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(BARE_REQUESTS, null, correlation, command);
            record.headers().add(KafkaHeaders.CORRELATION_ID, correlation)
                    .add(KafkaHeaders.REPLY_TOPIC, BARE_REPLIES.getBytes());
            stamp(record.headers().lastHeader(KafkaHeaders.CORRELATION_ID), 1);
            this.producer.send(record);
        }

        private static byte[] newCorrelation() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            return ByteBuffer.allocate(16).putLong(random.nextLong()).putLong(random.nextLong()).array();
        }

        @Override
        public void close() throws InterruptedException {
            this.running = false;
            this.poller.join();
            this.inline.close();
            this.producer.close();
        }
    }
}
