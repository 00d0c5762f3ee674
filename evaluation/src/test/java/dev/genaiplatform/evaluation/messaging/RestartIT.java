package dev.genaiplatform.evaluation.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.contracts.guardrails.GuardrailVerdictRecordedEvent;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.evaluation.EvaluationApplication;
import dev.genaiplatform.evaluation.events.CompletionEvents;
import dev.genaiplatform.evaluation.support.Http;
import dev.genaiplatform.evaluation.support.TestDatabase;
import dev.genaiplatform.evaluation.support.TestTokens;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing is lost and nothing counts twice across a restart of the service: events published while it is
 * down are stored when it comes back, and when the committed offsets are lost too (as after a crash between
 * storing and committing) every redelivered event is dropped by its id. Completions and guardrail verdicts alike.
 */
@EmbeddedKafka(partitions = 3)
class RestartIT {

    private static final Duration PATIENCE = Duration.ofSeconds(40);
    private static final String GROUP = "evaluation-restart-test";

    @Test
    void keepsEveryEventExactlyOnceAcrossARestartAndARewindOfTheCommittedOffsets(EmbeddedKafkaBroker broker)
            throws Exception {
        String tenant = "restart-" + UUID.randomUUID();
        ChatCompletionRecordedEvent first = CompletionEvents.answered(tenant, "sim-small").build();
        ChatCompletionRecordedEvent second = CompletionEvents.answered(tenant, "sim-large").build();
        ChatCompletionRecordedEvent whileDown = CompletionEvents.answered(tenant, "sim-small").build();
        GuardrailVerdictRecordedEvent blocked = verdict(tenant, Verdict.BLOCKED);
        GuardrailVerdictRecordedEvent blockedWhileDown = verdict(tenant, Verdict.BLOCKED);

        try (ConfigurableApplicationContext running = start(broker)) {
            publish(broker, tenant, first);
            publish(broker, tenant, second);
            publish(broker, tenant, blocked);
            await().atMost(PATIENCE).until(() -> requests(running, tenant) == 2 && verdicts(running, tenant) == 1);
        }

        publish(broker, tenant, whileDown);
        publish(broker, tenant, first);
        publish(broker, tenant, blockedWhileDown);
        publish(broker, tenant, blocked);
        rewindToTheStart(broker, Topics.CHAT_COMPLETION_RECORDED);
        rewindToTheStart(broker, Topics.GUARDRAILS_VERDICT_RECORDED);

        try (ConfigurableApplicationContext restarted = start(broker)) {
            ChatCompletionRecordedEvent marker = CompletionEvents.answered(tenant, "sim-small").build();
            publish(broker, tenant, marker);
            publish(broker, tenant, verdict(tenant, Verdict.ALLOWED));
            // one key, one partition: the marker is read after every record before it, the replayed ones included
            await().atMost(PATIENCE).until(() -> requests(restarted, tenant) == 4 && verdicts(restarted, tenant) == 3);
            assertThat(requests(restarted, tenant)).isEqualTo(4);
            assertThat(verdicts(restarted, tenant)).as("guardrail verdicts, once each").isEqualTo(3);
        }
    }

    private static ConfigurableApplicationContext start(EmbeddedKafkaBroker broker) {
        // command-line arguments outrank application.yml, as the launcher's environment would
        return new SpringApplicationBuilder(EvaluationApplication.class).run(
                "--server.port=0", "--management.server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--spring.kafka.consumer.group-id=" + GROUP,
                "--spring.datasource.url=" + TestDatabase.jdbcUrl(),
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                "--platform.security.jwk-set-uri=" + TestTokens.jwkSetUri(),
                "--logging.level.org.apache.kafka=WARN", "--logging.level.kafka=WARN",
                "--logging.level.state.change.logger=WARN");
    }

    private static long requests(ConfigurableApplicationContext context, String tenant) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        Http.Reply reply = Http.get("http://127.0.0.1:" + port + "/api/evaluation/aggregates",
                Http.bearer(TestTokens.token(tenant, "evaluation")));
        long total = 0;
        for (var row : reply.json()) {
            total += row.get("requests").asLong();
        }
        return total;
    }

    private static long verdicts(ConfigurableApplicationContext context, String tenant) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return Http.get("http://127.0.0.1:" + port + "/api/evaluation/safety-summary",
                Http.bearer(TestTokens.token(tenant, "evaluation"))).json().get("checks").asLong();
    }

    private static GuardrailVerdictRecordedEvent verdict(String tenant, Verdict verdict) {
        return new GuardrailVerdictRecordedEvent(UUID.randomUUID().toString(), Instant.now(),
                "chatcmpl-" + UUID.randomUUID(), tenant, "input", "default", verdict, null, List.of(),
                verdict == Verdict.BLOCKED ? List.of("LLM01:2025 Prompt Injection") : List.of(), null, 100);
    }

    private static void publish(EmbeddedKafkaBroker broker, String tenant, ChatCompletionRecordedEvent event)
            throws Exception {
        publish(broker, Topics.CHAT_COMPLETION_RECORDED, tenant, event);
    }

    private static void publish(EmbeddedKafkaBroker broker, String tenant, GuardrailVerdictRecordedEvent event)
            throws Exception {
        publish(broker, Topics.GUARDRAILS_VERDICT_RECORDED, tenant, event);
    }

    private static void publish(EmbeddedKafkaBroker broker, String topic, String tenant, Object event)
            throws Exception {
        try (var producer = new KafkaProducer<>(KafkaTestUtils.producerProps(broker), new StringSerializer(),
                new ByteArraySerializer())) {
            var record = new ProducerRecord<>(topic, tenant, Http.JSON.writeValueAsBytes(event));
            record.headers().add(PlatformHeaders.AUTHORIZATION,
                    TestTokens.token(tenant, "chat").getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
    }

    /** As if the commits after the first run had been lost: the group reads the topic again from offset 0. */
    private static void rewindToTheStart(EmbeddedKafkaBroker broker, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (int partition = 0; partition < 3; partition++) {
                offsets.put(new TopicPartition(topic, partition), new OffsetAndMetadata(0));
            }
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() ->
                    admin.alterConsumerGroupOffsets(GROUP, offsets).all().get());
        }
    }
}
