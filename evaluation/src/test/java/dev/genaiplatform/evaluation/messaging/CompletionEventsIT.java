package dev.genaiplatform.evaluation.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.evaluation.aggregates.CompletionEvents;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole path on a real (embedded) broker: events on the topic become HTTP aggregates and Prometheus
 * series; a record that is not JSON goes to the dead-letter topic without stopping the ones after it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.org.apache.kafka=WARN", "logging.level.kafka=WARN"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class CompletionEventsIT {

    private static final String TENANT = "acme";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Autowired
    private KafkaTemplate<String, Object> kafkaTemplate;

    @Autowired
    private EmbeddedKafkaBroker broker;

    @Autowired
    private JsonMapper jsonMapper;

    @LocalServerPort
    private int port;

    @Test
    void countsPublishedEventsAndParksGarbageOnTheDeadLetterTopic() throws Exception {
        ChatCompletionRecordedEvent answered = CompletionEvents.answered(TENANT, "sim-small")
                .streamed(true).tokens(412, 58).latency(230, 41L).build();
        ChatCompletionRecordedEvent refused = CompletionEvents.answered(TENANT, "sim-small")
                .outcome(Outcome.REFUSED_BY_GUARDRAILS).verdict(Verdict.BLOCKED).tokens(0, 0).latency(12, null).build();
        ChatCompletionRecordedEvent otherTenant = CompletionEvents.answered("globex", "sim-small").build();
        ChatCompletionRecordedEvent withoutTypeHeader = CompletionEvents.answered("initech", "sim-small").build();
        byte[] garbage = "this is {not json".getBytes(StandardCharsets.UTF_8);

        // Same key, same partition: the valid event really comes after the garbage one.
        publish(answered);
        publishRaw(TENANT, garbage);
        publish(refused);
        publish(answered);
        publish(otherTenant);
        // as a producer outside Spring would send it: plain JSON, no __TypeId__ or platform headers
        publishRaw("initech", jsonMapper.writeValueAsBytes(withoutTypeHeader));

        List<Map<String, Object>> rows = await().atMost(PATIENCE).until(
                () -> aggregatesOf(TENANT), found -> found.size() == 1 && requestsOf(found.getFirst()) == 2);
        Map<String, Object> row = rows.getFirst();
        assertThat(row).containsEntry("tenantId", TENANT).containsEntry("model", "sim-small")
                .containsEntry("refusals", 1).containsEntry("streamedRequests", 1).containsEntry("promptTokens", 412);
        assertThat(row.get("latencyMillis")).isEqualTo(Map.of("samples", 2, "p50", 12, "p95", 230, "p99", 230, "max", 230));
        assertThat(row.get("guardrailVerdicts")).isEqualTo(Map.of("ALLOWED", 1, "REDACTED", 0, "BLOCKED", 1));
        assertThat(aggregatesOf("globex")).singleElement().satisfies(other -> assertThat(requestsOf(other)).isEqualTo(1));
        await().atMost(PATIENCE).until(() -> aggregatesOf("initech").size() == 1);

        String prometheus = text("/actuator/prometheus");
        assertThat(prometheus)
                .containsPattern(series("platform_chat_requests_total", "model=\"sim-small\",outcome=\"ANSWERED\",tenant=\"acme\"", 1))
                .containsPattern(series("platform_chat_tokens_total", "kind=\"prompt\",model=\"sim-small\",tenant=\"acme\"", 412))
                .containsPattern(series("platform_chat_latency_seconds_count", "model=\"sim-small\",tenant=\"acme\"", 2))
                .containsPattern(series("platform_chat_time_to_first_token_seconds_count", "model=\"sim-small\",tenant=\"acme\"", 1))
                .containsPattern(series("platform_evaluation_duplicate_events_total", "", 1))
                .contains("platform_chat_latency_seconds_bucket{");

        try (Consumer<String, byte[]> consumer = deadLetterConsumer()) {
            ConsumerRecord<String, byte[]> deadLetter = KafkaTestUtils.getSingleRecord(
                    consumer, Topics.deadLetter(Topics.CHAT_COMPLETION_RECORDED), PATIENCE);
            assertThat(deadLetter.value()).isEqualTo(garbage);
            assertThat(deadLetter.key()).isEqualTo(TENANT);
        }
    }

    @Test
    void consumesAsTheEvaluationGroup() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            // the listener joins its group asynchronously after the context starts
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(admin.listGroups().all().get())
                    .extracting(group -> group.groupId()).contains("evaluation"));
        }
    }

    @Test
    void isReadyAndAnswersErrorsAsPlatformProblems() {
        assertThat(text("/actuator/health/readiness")).contains("\"UP\"");

        RestClient client = RestClient.create("http://127.0.0.1:" + port);
        String withoutTenant = client.get().uri("/api/evaluation/aggregates").exchange((request, reply) ->
                reply.getStatusCode().value() + " " + reply.getHeaders().getContentType() + " "
                        + reply.bodyTo(String.class), false);
        String wrongMethod = client.post().uri("/api/evaluation/aggregates").header("X-Tenant-Id", TENANT)
                .exchange((request, reply) -> reply.getStatusCode().value() + " "
                        + reply.getHeaders().getContentType() + " " + reply.bodyTo(String.class), false);

        assertThat(withoutTenant).startsWith("401 application/problem+json")
                .contains("\"type\":\"urn:genai-platform:problem:missing-tenant\"");
        // Spring MVC's own errors get the same shape, including the OpenAI-style error member
        assertThat(wrongMethod).startsWith("405 application/problem+json")
                .contains("\"type\":\"urn:genai-platform:problem:method-not-allowed\"")
                .contains("\"error\":{\"message\":");
    }

    private void publish(ChatCompletionRecordedEvent event) throws Exception {
        var record = new ProducerRecord<String, Object>(Topics.CHAT_COMPLETION_RECORDED, event.tenantId(), event);
        record.headers().add(PlatformHeaders.TENANT_ID, event.tenantId().getBytes(StandardCharsets.UTF_8));
        record.headers().add(PlatformHeaders.REQUEST_ID, event.requestId().getBytes(StandardCharsets.UTF_8));
        kafkaTemplate.send(record).get();
    }

    private void publishRaw(String key, byte[] value) throws Exception {
        Map<String, Object> props = KafkaTestUtils.producerProps(broker);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.CHAT_COMPLETION_RECORDED, key, value)).get();
        }
    }

    private Consumer<String, byte[]> deadLetterConsumer() {
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker, "dead-letter-reader", false);
        props.put("auto.offset.reset", "earliest");
        Consumer<String, byte[]> consumer = new DefaultKafkaConsumerFactory<>(props,
                new StringDeserializer(), new ByteArrayDeserializer()).createConsumer();
        consumer.subscribe(List.of(Topics.deadLetter(Topics.CHAT_COMPLETION_RECORDED)));
        return consumer;
    }

    private List<Map<String, Object>> aggregatesOf(String tenant) {
        return get("/api/evaluation/aggregates", new ParameterizedTypeReference<>() { }, tenant);
    }

    private <T> T get(String path, ParameterizedTypeReference<T> type, String tenant) {
        return RestClient.create("http://127.0.0.1:" + port).get().uri(path)
                .headers(headers -> {
                    if (tenant != null) {
                        headers.set("X-Tenant-Id", tenant);
                    }
                })
                .retrieve().body(type);
    }

    private String text(String path) {
        return get(path, new ParameterizedTypeReference<>() { }, null);
    }

    /** One Prometheus sample line: the name, labels that include these (in Micrometer's sorted order), the value. */
    private static String series(String name, String labels, long value) {
        return "(?m)^" + name + "\\{[^}]*" + labels + "[^}]*} " + value + "(\\.0)?$";
    }

    private static long requestsOf(Map<String, Object> row) {
        return ((Number) row.get("requests")).longValue();
    }
}
