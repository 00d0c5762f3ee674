package dev.genaiplatform.evaluation.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.evaluation.events.CompletionEvents;
import dev.genaiplatform.evaluation.support.Http;
import dev.genaiplatform.evaluation.support.TestDatabase;
import dev.genaiplatform.evaluation.support.TestTokens;
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
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole path on a real (embedded) broker and a real PostgreSQL: events with a valid internal token are
 * stored once and become HTTP aggregates and Prometheus series; records without a valid token, with a tenant
 * that contradicts it, or that are not JSON go to the dead-letter topic with the reason, without stopping
 * the ones after them. HTTP refuses every token the gateway did not issue for this tenant.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "logging.level.org.apache.kafka=WARN", "logging.level.kafka=WARN",
                "logging.level.state.change.logger=WARN"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class CompletionEventsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
        TestTokens.register(registry);
    }

    @Autowired
    private EmbeddedKafkaBroker broker;

    @LocalServerPort
    private int port;

    @LocalManagementPort
    private int managementPort;

    @Test
    void storesEachEventOnceUnderItsTokensTenantAndParksEverythingElseWithTheReason() throws Exception {
        String tenant = "acme-" + UUID.randomUUID();
        String other = "globex-" + UUID.randomUUID();
        ChatCompletionRecordedEvent answered = CompletionEvents.answered(tenant, "sim-small")
                .streamed(true).tokens(412, 58).latency(230, 41L).cost(0.0001).build();
        ChatCompletionRecordedEvent refused = CompletionEvents.answered(tenant, "sim-small")
                .outcome(Outcome.REFUSED_BY_GUARDRAILS).verdict(Verdict.BLOCKED).tokens(0, 0).latency(12, null)
                .cost(null).build();
        ChatCompletionRecordedEvent claimsOtherTenant = CompletionEvents.answered(other, "sim-small").build();
        ChatCompletionRecordedEvent withoutToken = CompletionEvents.answered(tenant, "sim-small").build();
        ChatCompletionRecordedEvent strangerSigned = CompletionEvents.answered(tenant, "sim-small").build();
        byte[] garbage = "this is {not json".getBytes(StandardCharsets.UTF_8);

        // Same key, same partition: each valid event really comes after the bad ones before it.
        publish(tenant, json(answered), TestTokens.token(tenant, "chat"));
        publish(tenant, garbage, TestTokens.token(tenant, "chat"));
        publish(tenant, json(withoutToken), null);
        publish(tenant, json(claimsOtherTenant), TestTokens.token(tenant, "chat"));
        publish(tenant, json(strangerSigned), TestTokens.builder(tenant, "chat").signedByAStranger().sign());
        publish(tenant, json(refused), TestTokens.token(tenant, "chat"));
        publish(tenant, json(answered), TestTokens.token(tenant, "chat"));

        JsonNode rows = await().atMost(PATIENCE).until(() -> aggregates(tenant),
                found -> found.size() == 1 && found.get(0).get("requests").asLong() == 2);
        JsonNode row = rows.get(0);
        assertThat(row.get("tenantId").asString()).isEqualTo(tenant);
        assertThat(row.get("refusals").asLong()).isEqualTo(1);
        assertThat(row.get("streamedRequests").asLong()).isEqualTo(1);
        assertThat(row.get("promptTokens").asLong()).isEqualTo(412);
        assertThat(row.get("costUsd").asDouble()).isEqualTo(0.0001);
        assertThat(Http.JSON.convertValue(row.get("latencyMillis"), Map.class))
                .isEqualTo(Map.of("samples", 2, "p50", 12, "p95", 230, "p99", 230, "max", 230));
        assertThat(Http.JSON.convertValue(row.get("guardrailVerdicts"), Map.class))
                .isEqualTo(Map.of("ALLOWED", 1, "REDACTED", 0, "BLOCKED", 1));
        assertThat(aggregates(other)).as("nothing is stored under a tenant the token did not name").isEmpty();

        String prometheus = Http.get("http://127.0.0.1:" + managementPort + "/actuator/prometheus", Map.of()).body();
        assertThat(prometheus)
                .containsPattern(series("platform_chat_requests_total",
                        "model=\"sim-small\",outcome=\"ANSWERED\",prompt_version=\"grounded-answer@v1\",tenant=\"" + tenant + "\"", 1))
                .containsPattern(series("platform_chat_tokens_total", "kind=\"prompt\",model=\"sim-small\",tenant=\"" + tenant + "\"", 412))
                .containsPattern(series("platform_chat_latency_seconds_count", "model=\"sim-small\",tenant=\"" + tenant + "\"", 2))
                .contains("platform_chat_cost_usd_total{")
                .contains("platform_evaluation_duplicate_events_total");

        List<ConsumerRecord<String, byte[]>> deadLetters = deadLettersFor(tenant, 4);
        assertThat(deadLetters.get(0).value()).isEqualTo(garbage);
        assertThat(reasons(deadLetters)).satisfiesExactly(
                reason -> assertThat(reason).isNotBlank(),
                reason -> assertThat(reason).contains("no platform-auth header"),
                reason -> assertThat(reason).contains("names tenant '" + other + "'"),
                reason -> assertThat(reason).contains("invalid platform-auth token"));
    }

    @Test
    void acceptsAnEventWhoseTokenExpiredOnlyAfterItWasProduced() throws Exception {
        String tenant = "late-" + UUID.randomUUID();
        ChatCompletionRecordedEvent event = CompletionEvents.answered(tenant, "sim-small").build();
        String expiredSinceProduced = TestTokens.builder(tenant, "chat").expiredAt(Instant.now().minusSeconds(600)).sign();
        long producedAt = Instant.now().minusSeconds(900).toEpochMilli();
        publish(tenant, json(event), expiredSinceProduced, producedAt);
        ChatCompletionRecordedEvent producedAfterExpiry = CompletionEvents.answered(tenant, "sim-small").build();
        publish(tenant, json(producedAfterExpiry), expiredSinceProduced, null);

        await().atMost(PATIENCE).until(() -> aggregates(tenant),
                found -> found.size() == 1 && found.get(0).get("requests").asLong() == 1);
        assertThat(reasons(deadLettersFor(tenant, 1))).singleElement().asString().contains("expired");
    }

    @Test
    void refusesEveryTokenTheGatewayDidNotIssueForThisServiceAsProblems() {
        String url = "http://127.0.0.1:" + port + "/api/evaluation/aggregates";
        Map<String, String> missing = Map.of();
        Map<String, String> stranger = Http.bearer(TestTokens.builder("acme", "evaluation").signedByAStranger().sign());
        Map<String, String> wrongAudience = Http.bearer(TestTokens.builder("acme", "evaluation").audience("someone-else").sign());
        Map<String, String> expired = Http.bearer(TestTokens.builder("acme", "evaluation").expiredAt(Instant.now().minusSeconds(120)).sign());
        Map<String, String> forgedHeaderOnly = Map.of("X-Tenant-Id", "acme");

        for (Map<String, String> headers : List.of(missing, stranger, wrongAudience, expired, forgedHeaderOnly)) {
            Http.Reply reply = Http.get(url, headers);
            assertThat(reply.status()).as(headers.toString()).isEqualTo(401);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.json().get("type").asString()).isEqualTo("urn:genai-platform:problem:invalid_internal_token");
            assertThat(reply.json().at("/error/code").asString()).isEqualTo("invalid_internal_token");
        }

        Http.Reply chatOnly = Http.get(url, Http.bearer(TestTokens.token("acme", "chat")));
        assertThat(chatOnly.status()).isEqualTo(403);
        assertThat(chatOnly.json().get("type").asString()).isEqualTo("urn:genai-platform:problem:insufficient_scope");
    }

    @Test
    void aForgedTenantHeaderNeverShowsAnotherTenantsRows() throws Exception {
        String victim = "victim-" + UUID.randomUUID();
        publish(victim, json(CompletionEvents.answered(victim, "sim-small").build()), TestTokens.token(victim, "chat"));
        await().atMost(PATIENCE).until(() -> aggregates(victim).size() == 1);

        Http.Reply reply = Http.get("http://127.0.0.1:" + port + "/api/evaluation/aggregates",
                Map.of("Authorization", "Bearer " + TestTokens.token("attacker", "evaluation"), "X-Tenant-Id", victim));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).doesNotContain(victim);
    }

    @Test
    void probesStayOpenOnTheManagementPortAndSpringErrorsArePlatformProblems() {
        assertThat(Http.get("http://127.0.0.1:" + managementPort + "/actuator/health/readiness", Map.of()).body())
                .contains("\"UP\"");
        Http.Reply wrongMethod = Http.post("http://127.0.0.1:" + port + "/api/evaluation/aggregates", "{}",
                Http.bearer(TestTokens.token("acme", "evaluation")));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.contentType()).startsWith("application/problem+json");
        assertThat(wrongMethod.json().get("type").asString()).isEqualTo("urn:genai-platform:problem:method_not_allowed");
        assertThat(wrongMethod.json().at("/error/message").asString()).isNotBlank();
    }

    private JsonNode aggregates(String tenant) {
        Http.Reply reply = Http.get("http://127.0.0.1:" + port + "/api/evaluation/aggregates",
                Http.bearer(TestTokens.token(tenant, "evaluation")));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private void publish(String key, byte[] value, String token) throws Exception {
        publish(key, value, token, null);
    }

    private void publish(String key, byte[] value, String token, Long timestamp) throws Exception {
        Map<String, Object> props = KafkaTestUtils.producerProps(broker);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            var record = new ProducerRecord<>(Topics.CHAT_COMPLETION_RECORDED, null, timestamp, key, value);
            record.headers().add(PlatformHeaders.TENANT_ID, key.getBytes(StandardCharsets.UTF_8));
            if (token != null) {
                record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
            }
            producer.send(record).get();
        }
    }

    private static byte[] json(ChatCompletionRecordedEvent event) {
        return Http.JSON.writeValueAsBytes(event);
    }

    private List<ConsumerRecord<String, byte[]>> deadLettersFor(String key, int expected) {
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker, "dead-letter-reader-" + UUID.randomUUID(), false);
        props.put("auto.offset.reset", "earliest");
        try (Consumer<String, byte[]> consumer = new DefaultKafkaConsumerFactory<>(props,
                new StringDeserializer(), new ByteArrayDeserializer()).createConsumer()) {
            consumer.subscribe(List.of(Topics.deadLetter(Topics.CHAT_COMPLETION_RECORDED)));
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                });
                return found.size() >= expected;
            });
            return found;
        }
    }

    private static List<String> reasons(List<ConsumerRecord<String, byte[]>> deadLetters) {
        return deadLetters.stream().map(record -> {
            var header = record.headers().lastHeader("kafka_dlt-exception-message");
            return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
        }).toList();
    }

    /** One Prometheus sample line: the name, labels that include these (in Micrometer's sorted order), the value. */
    private static String series(String name, String labels, long value) {
        return "(?m)^" + name + "\\{[^}]*" + labels.replace(".", "\\.") + "[^}]*} " + value + "(\\.0)?$";
    }
}
