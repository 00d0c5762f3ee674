package dev.genaiplatform.evaluation.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.Finding;
import dev.genaiplatform.contracts.guardrails.GuardrailVerdictRecordedEvent;
import dev.genaiplatform.contracts.guardrails.Verdict;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Guardrail verdicts on a real (embedded) broker into a real PostgreSQL, consumed like completions: stored once
 * under the token's tenant, bad records dead-lettered with the reason, and turned into per-category safety
 * rates over HTTP and Prometheus counters that name OWASP categories but no tenant.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "logging.level.org.apache.kafka=WARN", "logging.level.kafka=WARN",
                "logging.level.state.change.logger=WARN"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class GuardrailVerdictsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String INJECTION = "LLM01:2025 Prompt Injection";
    private static final String DISCLOSURE = "LLM02:2025 Sensitive Information Disclosure";

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
    void storesEachVerdictOnceUnderItsTokensTenantAndReportsSharesPerCategoryAndStage() throws Exception {
        String tenant = "acme-" + UUID.randomUUID();
        String other = "globex-" + UUID.randomUUID();
        String token = TestTokens.token(tenant, "chat");
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        double injectionBlocksBefore = counter("LLM01", "input", "BLOCKED");

        GuardrailVerdictRecordedEvent blocked = verdict(tenant, "input", Verdict.BLOCKED, INJECTION, hour.plusSeconds(60));
        GuardrailVerdictRecordedEvent redacted = verdict(tenant, "input", Verdict.REDACTED, DISCLOSURE, hour.plusSeconds(61));
        GuardrailVerdictRecordedEvent both = verdict(tenant, "input", Verdict.BLOCKED, null, hour.plusSeconds(62),
                INJECTION, DISCLOSURE);
        GuardrailVerdictRecordedEvent allowed = verdict(tenant, "input", Verdict.ALLOWED, null, hour.plusSeconds(63));
        GuardrailVerdictRecordedEvent answerBlocked = verdict(tenant, "answer", Verdict.BLOCKED, DISCLOSURE, hour.plusSeconds(64));
        publish(tenant, json(blocked), token);
        publish(tenant, json(redacted), token);
        publish(tenant, json(both), token);
        // as guardrails' Spring producer sends it: with a __TypeId__ header naming the contract class
        publishWithTypeHeader(tenant, json(allowed), token, GuardrailVerdictRecordedEvent.class.getName());
        publish(tenant, json(answerBlocked), token);
        publish(tenant, json(blocked), token);

        JsonNode summary = await().atMost(PATIENCE).until(() -> get("/api/evaluation/safety-summary", tenant).json(),
                found -> found.get("checks").asLong() == 5);
        assertThat(categories(summary)).containsExactly(
                "LLM01 verdicts=2 blocked=2 redacted=0 allowed=0",
                "LLM02 verdicts=3 blocked=2 redacted=1 allowed=0",
                "none verdicts=1 blocked=0 redacted=0 allowed=1");

        JsonNode rates = get("/api/evaluation/safety-rates?bucket=hour", tenant).json();
        assertThat(rates).hasSize(4);
        JsonNode inputInjection = row(rates, "input", "LLM01");
        assertThat(inputInjection.get("bucket").asString()).isEqualTo(hour.toString());
        assertThat(inputInjection.get("checks").asLong()).as("every input check is the denominator").isEqualTo(4);
        assertThat(inputInjection.get("blocked").asLong()).isEqualTo(2);
        assertThat(inputInjection.get("blockedShare").asDouble()).isEqualTo(0.5);
        assertThat(row(rates, "input", "LLM02").get("redactedShare").asDouble()).isEqualTo(0.25);
        assertThat(row(rates, "answer", "LLM02").get("blockedShare").asDouble()).isEqualTo(1.0);

        assertThat(get("/api/evaluation/safety-summary", other).json().get("checks").asLong())
                .as("another tenant sees none of it").isZero();
        assertThat(get("/api/evaluation/safety-rates", other).json()).isEmpty();
        assertThat(get("/api/evaluation/safety-summary?from=" + hour.plusSeconds(62) + "&to=" + hour.plusSeconds(64),
                tenant).json().get("checks").asLong()).as("from inclusive, to exclusive").isEqualTo(2);

        String prometheus = Http.get("http://127.0.0.1:" + managementPort + "/actuator/prometheus", Map.of()).body();
        assertThat(counter("LLM01", "input", "BLOCKED") - injectionBlocksBefore)
                .as("the redelivered event moved no counter").isEqualTo(2.0);
        assertThat(prometheus).contains("platform_evaluation_guardrail_verdicts_total{")
                .doesNotContainPattern("platform_evaluation_(owasp|guardrail)_verdicts_total\\{[^}]*tenant")
                .doesNotContain(tenant.substring(0, 12) + "\"");
    }

    @Test
    void parksRecordsWithoutAValidTokenForAnotherTenantOrUnreadableWithTheReasonAndKeepsGoing() throws Exception {
        String tenant = "dlt-" + UUID.randomUUID();
        String token = TestTokens.token(tenant, "chat");
        Instant now = Instant.now();
        byte[] garbage = "{not a verdict".getBytes(StandardCharsets.UTF_8);
        publish(tenant, garbage, token);
        publish(tenant, json(verdict(tenant, "input", Verdict.BLOCKED, INJECTION, now)), null);
        publish(tenant, json(verdict("someone-else", "input", Verdict.BLOCKED, INJECTION, now)), token);
        publish(tenant, json(verdict(tenant, "input", Verdict.BLOCKED, INJECTION, now)),
                TestTokens.builder(tenant, "chat").signedByAStranger().sign());
        publish(tenant, json(verdict(tenant, "input", null, INJECTION, now)), token);
        publish(tenant, json(verdict(tenant, "input", Verdict.ALLOWED, null, now)), token);

        await().atMost(PATIENCE).until(() -> get("/api/evaluation/safety-summary", tenant).json()
                .get("checks").asLong() == 1);
        List<ConsumerRecord<String, byte[]>> deadLetters = deadLettersFor(tenant, 5);
        assertThat(deadLetters.get(0).value()).isEqualTo(garbage);
        assertThat(reasons(deadLetters)).satisfiesExactly(
                reason -> assertThat(reason).isNotBlank(),
                reason -> assertThat(reason).contains("no platform-auth header"),
                reason -> assertThat(reason).contains("names tenant 'someone-else'"),
                reason -> assertThat(reason).contains("invalid platform-auth token"),
                reason -> assertThat(reason).contains("has no verdict"));
    }

    @Test
    void inOnePollTheGoodRecordsAroundBadOnesAreStoredOnceAndEachBadOneIsDeadLetteredOnce() throws Exception {
        String tenant = "poll-" + UUID.randomUUID();
        String token = TestTokens.token(tenant, "chat");
        Instant now = Instant.now();
        Map<String, Object> props = KafkaTestUtils.producerProps(broker);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 6; i++) {
                boolean noToken = i == 2;
                byte[] value = json(verdict(tenant, "input", i == 4 ? null : Verdict.ALLOWED, null, now));
                var record = new ProducerRecord<>(Topics.GUARDRAILS_VERDICT_RECORDED, tenant, value);
                if (!noToken) {
                    record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
                }
                producer.send(record); // no wait: the six land together, most likely in one poll
            }
            producer.flush();
        }

        await().atMost(PATIENCE).until(() -> get("/api/evaluation/safety-summary", tenant).json()
                .get("checks").asLong() == 4);
        assertThat(reasons(deadLettersFor(tenant, 2))).satisfiesExactly(
                reason -> assertThat(reason).contains("no platform-auth header"),
                reason -> assertThat(reason).contains("has no verdict"));
    }

    @Test
    void badPeriodsAndBucketsAreProblemsAndTheRatesNeedScopeEvaluation() {
        String base = "http://127.0.0.1:" + port;
        Map<String, String> evaluation = Http.bearer(TestTokens.token("acme", "evaluation"));
        for (String query : List.of("/api/evaluation/safety-rates?bucket=minute",
                "/api/evaluation/safety-rates?from=yesterday",
                "/api/evaluation/safety-summary?from=2026-12-06T03:00:00Z&to=2026-12-06T02:00:00Z",
                "/api/evaluation/safety-summary?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z")) {
            Http.Reply reply = Http.get(base + query, evaluation);
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertThat(reply.json().get("type").asString()).isEqualTo("urn:genai-platform:problem:invalid_value");
        }
        assertThat(Http.get(base + "/api/evaluation/safety-rates", Http.bearer(TestTokens.token("acme", "chat")))
                .status()).isEqualTo(403);
        assertThat(Http.get(base + "/api/evaluation/safety-summary", Map.of("X-Tenant-Id", "acme")).status())
                .isEqualTo(401);
    }

    private static GuardrailVerdictRecordedEvent verdict(String tenant, String stage, Verdict verdict, String category,
                                                         Instant at, String... more) {
        List<String> categories = new ArrayList<>();
        if (category != null) {
            categories.add(category);
        }
        categories.addAll(List.of(more));
        List<Finding> findings = categories.stream()
                .map(c -> new Finding(c.startsWith("LLM01") ? "injection" : "pii", c.substring(0, 5), 0, 0, 4)).toList();
        return new GuardrailVerdictRecordedEvent(UUID.randomUUID().toString(), at, "chatcmpl-" + UUID.randomUUID(),
                tenant, stage, "default", verdict, categories.contains(INJECTION) ? 0.97 : 0.01, findings, categories,
                verdict == Verdict.BLOCKED ? "blocked" : null, 350);
    }

    private static List<String> categories(JsonNode summary) {
        List<String> rows = new ArrayList<>();
        summary.get("categories").forEach(c -> rows.add("%s verdicts=%d blocked=%d redacted=%d allowed=%d".formatted(
                c.get("category").asString(), c.get("verdicts").asLong(), c.get("blocked").asLong(),
                c.get("redacted").asLong(), c.get("allowed").asLong())));
        return rows;
    }

    private static JsonNode row(JsonNode rates, String stage, String category) {
        for (JsonNode row : rates) {
            if (row.get("stage").asString().equals(stage) && row.get("category").asString().equals(category)) {
                return row;
            }
        }
        throw new AssertionError("no row for " + stage + "/" + category + " in " + rates);
    }

    private Http.Reply get(String path, String tenant) {
        Http.Reply reply = Http.get("http://127.0.0.1:" + port + path, Http.bearer(TestTokens.token(tenant, "evaluation")));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply;
    }

    private double counter(String category, String stage, String verdict) {
        String prometheus = Http.get("http://127.0.0.1:" + managementPort + "/actuator/prometheus", Map.of()).body();
        Matcher matcher = Pattern.compile("(?m)^platform_evaluation_owasp_verdicts_total\\{[^}]*owasp_category=\""
                + category + "\",stage=\"" + stage + "\",verdict=\"" + verdict + "\"[^}]*} (\\S+)$").matcher(prometheus);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private void publish(String key, byte[] value, String token) throws Exception {
        Map<String, Object> props = KafkaTestUtils.producerProps(broker);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            var record = new ProducerRecord<>(Topics.GUARDRAILS_VERDICT_RECORDED, key, value);
            if (token != null) {
                record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
            }
            producer.send(record).get();
        }
    }

    private void publishWithTypeHeader(String key, byte[] value, String token, String type) throws Exception {
        Map<String, Object> props = KafkaTestUtils.producerProps(broker);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            var record = new ProducerRecord<>(Topics.GUARDRAILS_VERDICT_RECORDED, key, value);
            record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
            record.headers().add("__TypeId__", type.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
    }

    private static byte[] json(GuardrailVerdictRecordedEvent event) {
        return Http.JSON.writeValueAsBytes(event);
    }

    private List<ConsumerRecord<String, byte[]>> deadLettersFor(String key, int expected) {
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker, "dead-letter-reader-" + UUID.randomUUID(), false);
        props.put("auto.offset.reset", "earliest");
        try (Consumer<String, byte[]> consumer = new DefaultKafkaConsumerFactory<>(props,
                new StringDeserializer(), new ByteArrayDeserializer()).createConsumer()) {
            consumer.subscribe(List.of(Topics.deadLetter(Topics.GUARDRAILS_VERDICT_RECORDED)));
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
}
