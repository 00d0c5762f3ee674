package dev.genaiplatform.retrieval.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.retrieval.ConversationTurn;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.contracts.retrieval.SearchCommand;
import dev.genaiplatform.contracts.retrieval.SearchResultReply;
import dev.genaiplatform.contracts.retrieval.TextEmbedding;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import dev.genaiplatform.retrieval.support.DocumentsClient;
import dev.genaiplatform.retrieval.support.RetrievalIntegrationTest;
import dev.genaiplatform.retrieval.support.StandInChatModel;
import dev.genaiplatform.retrieval.support.TestTokens;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.web.client.RestClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service as the orchestrator uses it, on a real (embedded) broker: request/reply over
 * {@code retrieval.search.v1} with the request's internal token in {@code platform-auth}, the fixture corpus
 * (the public store) ingested at start-up. A command without a valid token is dead-lettered, never answered.
 */
class SearchOverKafkaIT extends RetrievalIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String KEY = "tenant-a";

    private static ReplyingKafkaTemplate<String, Object, SearchResultReply> asker;

    @Autowired
    private EmbeddedKafkaBroker broker;

    @LocalServerPort
    private int port;

    @LocalManagementPort
    private int managementPort;

    @BeforeAll
    static void startAsker(@Autowired EmbeddedKafkaBroker broker) throws InterruptedException {
        // built by hand, not as a bean: a ReplyingKafkaTemplate bean would make Boot drop its own KafkaTemplate
        Map<String, Object> producer = new HashMap<>(KafkaTestUtils.producerProps(broker));
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, JacksonJsonSerializer.class);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        Map<String, Object> consumer = new HashMap<>(KafkaTestUtils.consumerProps(broker, "orchestrator-stand-in", false));
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        var deserializer = new JacksonJsonDeserializer<>(SearchResultReply.class).trustedPackages("dev.genaiplatform.contracts.*");
        var replies = new KafkaMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(consumer, new StringDeserializer(), deserializer),
                new ContainerProperties(Topics.RETRIEVAL_SEARCH_RESULT));
        asker = new ReplyingKafkaTemplate<>(new DefaultKafkaProducerFactory<>(producer), replies);
        asker.setDefaultReplyTimeout(PATIENCE);
        asker.start();
        assertThat(asker.waitForAssignment(PATIENCE)).as("reply partitions assigned").isTrue();
    }

    @AfterAll
    static void stopAsker() {
        if (asker != null) {
            asker.stop();
        }
    }

    @Test
    void answersASearchWithChunksWhoseProvenancePointsIntoTheSource() throws Exception {
        SearchResultReply reply = ask(new SearchCommand("chatcmpl-1", "How is a card number's check digit verified?", 3));

        assertThat(reply.requestId()).isEqualTo("chatcmpl-1");
        assertThat(reply.chunks()).hasSize(3);
        assertThat(reply.tookMillis()).isNotNegative();
        RetrievedChunk top = reply.chunks().getFirst();
        assertThat(top.documentPath()).isEqualTo("payments/card-validation.md");
        assertThat(top.chunkId()).isEqualTo("payments/card-validation.md#0");
        assertThat(top.heading()).isEqualTo("Card validation > Luhn checksum");
        for (RetrievedChunk chunk : reply.chunks()) {
            String source = new ClassPathResource("fixture-docs/" + chunk.documentPath())
                    .getContentAsString(StandardCharsets.UTF_8);
            assertThat(source.substring(chunk.startOffset(), chunk.endOffset())).isEqualTo(chunk.text());
        }
        assertThat(reply.chunks()).extracting(RetrievedChunk::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void aHandedOnQueryEmbeddingGivesTheSameAnswerWhenItMatchesAndIsIgnoredWhenItDoesNot() throws Exception {
        String query = "How is a card number's check digit verified?";
        var model = new dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel();
        var matching = new TextEmbedding(TextEmbedding.MINILM_L6_V2_Q, query, model.embed(query));
        var foreign = new TextEmbedding(TextEmbedding.MINILM_L6_V2_Q, "sourdough starter", model.embed("sourdough starter"));

        List<String> plain = chunkIds(ask(new SearchCommand("chatcmpl-emb0", query, 3, List.of(), null, null, null, null)));
        List<String> handedOn = chunkIds(ask(new SearchCommand("chatcmpl-emb1", query, 3, List.of(), null, null, null, matching)));
        List<String> ignored = chunkIds(ask(new SearchCommand("chatcmpl-emb2", query, 3, List.of(), null, null, null, foreign)));

        assertThat(plain).first().isEqualTo("payments/card-validation.md#0");
        assertThat(handedOn).isEqualTo(plain);
        assertThat(ignored).isEqualTo(plain);
    }

    private static List<String> chunkIds(SearchResultReply reply) {
        return reply.chunks().stream().map(RetrievedChunk::chunkId).toList();
    }

    @Test
    void aFollowUpWithItsConversationIsRewrittenAndTheReplySaysWhatWasSearched() throws Exception {
        var conversation = List.of(new ConversationTurn("user", "How do I keep ferns watered while travelling?"),
                new ConversationTurn("assistant", "Soak the soil and run a cotton wick from a reservoir."));

        SearchResultReply rewritten = ask(new SearchCommand("chatcmpl-rw", "And what light do they need?", 2, List.of(),
                conversation, true, null));
        SearchResultReply asSent = ask(new SearchCommand("chatcmpl-as", "And what light do they need?", 2, List.of(),
                conversation, false, null));

        assertThat(rewritten.rewrittenBy()).isEqualTo("rules");
        assertThat(rewritten.queries().getFirst()).startsWith("And what light do they need?").contains("ferns", "travelling");
        assertThat(rewritten.chunks()).first().extracting(RetrievedChunk::documentPath).isEqualTo("plant-care.md");
        assertThat(asSent.rewrittenBy()).isNull();
        assertThat(asSent.queries()).containsExactly("And what light do they need?");
    }

    @Test
    void hopsAskedOverKafkaRetrieveAgainWithTheNamesTheFirstPassagesIntroduce() throws Exception {
        SearchResultReply reply = ask(new SearchCommand("chatcmpl-hops", "How is a card number's check digit verified?", 3,
                List.of(), null, null, 2));
        SearchResultReply clamped = ask(new SearchCommand("chatcmpl-hops9", "How is a card number's check digit verified?", 3,
                List.of(), null, null, 9));

        assertThat(reply.queries()).hasSize(2);
        assertThat(reply.queries().get(1)).startsWith("How is a card number's check digit verified?").contains("Luhn");
        assertThat(reply.chunks()).first().extracting(RetrievedChunk::documentPath).isEqualTo("payments/card-validation.md");
        assertThat(clamped.queries()).hasSizeBetween(1, 3);
    }

    @Test
    void hydeAskedOverKafkaCallsTheModelOnceAndTheReplyListsThePassage() throws Exception {
        String query = "Which checksum catches a mistyped card number?";

        SearchResultReply reply = ask(new SearchCommand("chatcmpl-hyde1", query, 3, List.of(), null, null, null, null, true));

        assertThat(StandInChatModel.callsFor(query)).as("one model call").isEqualTo(1);
        assertThat(reply.queries()).containsExactly(query, StandInChatModel.passageFor(query));
        assertThat(reply.rewrittenBy()).isEqualTo("hyde");
        assertThat(reply.chunks()).first().extracting(RetrievedChunk::documentPath).isEqualTo("payments/card-validation.md");
    }

    @Test
    void hydeLeftNullFollowsTheStoreAndTheDefaultAndFalseOverridesAStoreThatAsksForIt() throws Exception {
        String tenant = "kafka-hyde-store";
        var client = new DocumentsClient(port, TestTokens.token(tenant));
        String store = client.post("/v1/vector_stores", Map.of("name", "hyde", "metadata", Map.of("hyde", "true")))
                .body().path("id").asString();
        String file = client.upload("compost.md", "# Compost\n\nTurn the heap weekly so it stays warm and aerobic."
                .getBytes(StandardCharsets.UTF_8), null).body().path("id").asString();
        assertThat(client.ingest(store, file, Map.of()).path("status").asString()).isEqualTo("completed");
        String byStore = "How often is the compost heap turned, by the store's default?";
        String refused = "How often is the compost heap turned, HyDE refused?";
        String byService = "How often is the compost heap turned, by the service's default?";

        SearchResultReply storeDefault = ask(new SearchCommand("chatcmpl-hyde2", byStore, 2, List.of(store),
                null, null, null, null, null), tenant);
        SearchResultReply off = ask(new SearchCommand("chatcmpl-hyde3", refused, 2, List.of(store),
                null, null, null, null, false), tenant);
        SearchResultReply serviceDefault = ask(new SearchCommand("chatcmpl-hyde4", byService, 2, List.of(),
                null, null, null, null, null), tenant);

        assertThat(StandInChatModel.callsFor(byStore)).as("the store's metadata asks for HyDE").isEqualTo(1);
        assertThat(storeDefault.queries()).containsExactly(byStore, StandInChatModel.passageFor(byStore));
        assertThat(storeDefault.rewrittenBy()).isEqualTo("hyde");
        assertThat(storeDefault.chunks()).first().extracting(RetrievedChunk::documentPath).isEqualTo("compost.md");
        assertThat(StandInChatModel.callsFor(refused)).as("false overrides the store").isZero();
        assertThat(off.queries()).containsExactly(refused);
        assertThat(off.rewrittenBy()).isNull();
        assertThat(StandInChatModel.callsFor(byService)).as("the service default is off").isZero();
        assertThat(serviceDefault.queries()).containsExactly(byService);
    }

    @Test
    void aCommandNamingNoStoresSearchesTheTenantsDefaultStoresWithTheirMetadataButNotItsOtherStores() throws Exception {
        String tenant = "kafka-default-store";
        var client = new DocumentsClient(port, TestTokens.token(tenant));
        String byDefault = client.post("/v1/vector_stores", Map.of("name", "default",
                "metadata", Map.of("default", "true", "hyde", "true"))).body().path("id").asString();
        String other = client.createStore("not default");
        String compost = client.upload("mulch.md", "# Mulch\n\nBark mulch keeps the beds moist through August."
                .getBytes(StandardCharsets.UTF_8), null).body().path("id").asString();
        String pond = client.upload("pond.md", "# Pond\n\nThe pond pump is cleaned every spring before the frogs spawn."
                .getBytes(StandardCharsets.UTF_8), null).body().path("id").asString();
        client.ingest(byDefault, compost, Map.of());
        client.ingest(other, pond, Map.of());
        String question = "What keeps the beds moist through August, and when is the pond pump cleaned?";

        SearchResultReply reply = ask(new SearchCommand("chatcmpl-default", question, 20, List.of()), tenant);

        assertThat(reply.chunks()).extracting(RetrievedChunk::documentPath).contains("mulch.md").doesNotContain("pond.md");
        assertThat(StandInChatModel.callsFor(question)).as("the default store's metadata asks for HyDE").isEqualTo(1);
        assertThat(reply.rewrittenBy()).isEqualTo("hyde");
    }

    @Test
    void repliesEmptyToABlankQueryAndClampsAHugeTopK() throws Exception {
        assertThat(ask(new SearchCommand("chatcmpl-2", "   ", 4)).chunks()).isEmpty();
        // 9 chunks in the whole fixture corpus, max-top-k 20: everything comes back, nothing fails
        assertThat(ask(new SearchCommand("chatcmpl-3", "bread", 1_000_000)).chunks()).hasSize(9);
    }

    @Test
    void parksGarbageOnTheDeadLetterTopicAndStillAnswersTheNextRequest() throws Exception {
        byte[] garbage = "this is {not json".getBytes(StandardCharsets.UTF_8);
        try (var producer = new KafkaProducer<>(KafkaTestUtils.producerProps(broker), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.RETRIEVAL_SEARCH, KEY, garbage)).get();
        }

        // same key, same partition: this request really queues behind the garbage
        SearchResultReply reply = ask(new SearchCommand("chatcmpl-4", "sourdough starter", 2));

        assertThat(reply.chunks()).first().extracting(RetrievedChunk::documentPath).isEqualTo("sourdough.md");
        ConsumerRecord<String, byte[]> deadLetter = deadLetter(KEY);
        assertThat(deadLetter.value()).isEqualTo(garbage);
    }

    @Test
    void deadLettersSearchesWithoutAValidTokenWithTheReasonAndNeverAnswersThem() throws Exception {
        String forged = TestTokens.builder("kafka-tenant").signedByAnotherKey().sign();
        String expired = TestTokens.builder("kafka-tenant").expiresAt(java.time.Instant.now().minusSeconds(600)).sign();
        try (var producer = new KafkaProducer<>(KafkaTestUtils.producerProps(broker), new StringSerializer(), new StringSerializer())) {
            String command = "{\"requestId\":\"x\",\"query\":\"Luhn\",\"topK\":2}";
            producer.send(withReplyTopic(new ProducerRecord<>(Topics.RETRIEVAL_SEARCH, "no-token", command), null)).get();
            producer.send(withReplyTopic(new ProducerRecord<>(Topics.RETRIEVAL_SEARCH, "forged", command), forged)).get();
            producer.send(withReplyTopic(new ProducerRecord<>(Topics.RETRIEVAL_SEARCH, "expired", command), expired)).get();
        }

        assertThat(reason(deadLetter("no-token"))).contains("No platform-auth header");
        assertThat(reason(deadLetter("forged"))).contains("Invalid platform-auth token");
        assertThat(reason(deadLetter("expired"))).contains("Invalid platform-auth token");
    }

    @Test
    void theReplyKeepsTheRequestsKeyCorrelationAndTrace() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var record = new ProducerRecord<String, Object>(Topics.RETRIEVAL_SEARCH, "reply-key",
                new SearchCommand("chatcmpl-trace", "Luhn checksum", 1));
        record.headers().add(PlatformHeaders.AUTHORIZATION, TestTokens.token("kafka-tenant").getBytes(StandardCharsets.UTF_8));
        record.headers().add("traceparent", ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));

        var reply = asker.sendAndReceive(record).get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

        assertThat(reply.value().requestId()).isEqualTo("chatcmpl-trace");
        assertThat(reply.key()).isEqualTo("reply-key");
        assertThat(reply.headers().lastHeader(org.springframework.kafka.support.KafkaHeaders.CORRELATION_ID)).isNotNull();
        var traceparent = reply.headers().lastHeader("traceparent");
        assertThat(traceparent).as("the reply continues the request's trace").isNotNull();
        assertThat(new String(traceparent.value(), StandardCharsets.UTF_8)).startsWith("00-" + traceId + "-");
    }

    @Test
    void deadLettersACommandWithoutAReplyTopic() throws Exception {
        try (var producer = new KafkaProducer<>(KafkaTestUtils.producerProps(broker), new StringSerializer(), new StringSerializer())) {
            var record = new ProducerRecord<>(Topics.RETRIEVAL_SEARCH, "no-reply-topic", "{\"requestId\":\"y\",\"query\":\"Luhn\",\"topK\":2}");
            record.headers().add(PlatformHeaders.AUTHORIZATION, TestTokens.token("kafka-tenant").getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }

        assertThat(reason(deadLetter("no-reply-topic"))).contains("kafka_replyTopic");
    }

    @Test
    void ignoresVectorStoresTheTenantDoesNotOwnAndNeverTrustsTheTenantHeader() throws Exception {
        var record = new ProducerRecord<String, Object>(Topics.RETRIEVAL_SEARCH, KEY,
                new SearchCommand("chatcmpl-6", "Luhn checksum", 2, List.of("vs_of_another_tenant")));
        record.headers().add(PlatformHeaders.AUTHORIZATION, TestTokens.token("kafka-tenant").getBytes(StandardCharsets.UTF_8));
        record.headers().add(PlatformHeaders.TENANT_ID, "some-other-tenant".getBytes(StandardCharsets.UTF_8));

        SearchResultReply reply = asker.sendAndReceive(record).get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).value();

        assertThat(reply.chunks()).isEmpty();
    }

    private static <V> ProducerRecord<String, V> withReplyTopic(ProducerRecord<String, V> record, String token) {
        record.headers().add(org.springframework.kafka.support.KafkaHeaders.REPLY_TOPIC,
                Topics.RETRIEVAL_SEARCH_RESULT.getBytes(StandardCharsets.UTF_8));
        if (token != null) {
            record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private static String reason(ConsumerRecord<String, byte[]> deadLetter) {
        var header = deadLetter.headers().lastHeader(org.springframework.kafka.support.KafkaHeaders.DLT_EXCEPTION_MESSAGE);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The dead letter with this key (other tests park theirs on the same topic). */
    private ConsumerRecord<String, byte[]> deadLetter(String key) {
        try (Consumer<String, byte[]> consumer = deadLetterConsumer()) {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no dead letter with key " + key);
    }

    @Test
    void reportsReadyAndListsTheIngestedDocumentsOverHttp() {
        RestClient management = RestClient.create("http://127.0.0.1:" + managementPort);
        RestClient http = RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("Authorization", "Bearer " + TestTokens.token("kafka-tenant")).build();

        assertThat(management.get().uri("/actuator/health/readiness").retrieve().body(String.class)).contains("\"UP\"");
        String documents = http.get().uri("/api/retrieval/documents").retrieve().body(String.class);
        assertThat(documents).contains("\"documentPath\":\"payments/card-validation.md\"", "\"chunks\":9");
        String search = http.get().uri("/api/retrieval/search?q={q}&k=1", "Luhn").retrieve().body(String.class);
        assertThat(search).contains("\"chunkId\":\"payments/card-validation.md#0\"");
        assertThat(management.get().uri("/actuator/prometheus").retrieve().body(String.class))
                .containsPattern("(?m)^retrieval_index_chunks\\{[^}]*} 9(\\.0)?$")
                .containsPattern("(?m)^retrieval_search_seconds_count\\{[^}]*outcome=\"hits\"[^}]*} [1-9]");
    }

    private SearchResultReply ask(SearchCommand command) throws Exception {
        return ask(command, "kafka-tenant");
    }

    private SearchResultReply ask(SearchCommand command, String tenant) throws Exception {
        var record = new ProducerRecord<String, Object>(Topics.RETRIEVAL_SEARCH, KEY, command);
        record.headers().add(PlatformHeaders.REQUEST_ID, command.requestId().getBytes(StandardCharsets.UTF_8));
        record.headers().add(PlatformHeaders.TENANT_ID, KEY.getBytes(StandardCharsets.UTF_8));
        record.headers().add(PlatformHeaders.AUTHORIZATION, TestTokens.token(tenant).getBytes(StandardCharsets.UTF_8));
        return asker.sendAndReceive(record).get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).value();
    }

    private Consumer<String, byte[]> deadLetterConsumer() {
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker, "dead-letter-reader", false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Consumer<String, byte[]> consumer = new DefaultKafkaConsumerFactory<>(props,
                new StringDeserializer(), new ByteArrayDeserializer()).createConsumer();
        consumer.subscribe(List.of(Topics.deadLetter(Topics.RETRIEVAL_SEARCH)));
        return consumer;
    }
}
