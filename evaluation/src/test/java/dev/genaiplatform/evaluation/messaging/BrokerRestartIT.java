package dev.genaiplatform.evaluation.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.evaluation.EvaluationApplication;
import dev.genaiplatform.evaluation.events.CompletionEvents;
import dev.genaiplatform.evaluation.support.Http;
import dev.genaiplatform.evaluation.support.TestDatabase;
import dev.genaiplatform.evaluation.support.TestTokens;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Nothing is lost and nothing counts twice across a restart of the broker under a running service: events stored
 * before stay stored once, the listener reconnects on its own, and an event published after the broker is back
 * (twice, as a retrying producer might) is stored once.
 */
@EmbeddedKafka(partitions = 1)
class BrokerRestartIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void keepsConsumingExactlyOnceAfterTheBrokerRestarts(EmbeddedKafkaBroker embedded) throws Exception {
        String tenant = "broker-restart-" + UUID.randomUUID();
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(EvaluationApplication.class).run(
                "--server.port=0", "--management.server.port=0",
                "--spring.kafka.bootstrap-servers=" + embedded.getBrokersAsString(),
                "--spring.kafka.consumer.group-id=evaluation-broker-restart",
                "--spring.datasource.url=" + TestDatabase.jdbcUrl(),
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                "--platform.security.jwk-set-uri=" + TestTokens.jwkSetUri(),
                "--logging.level.org.apache.kafka=ERROR", "--logging.level.kafka=ERROR",
                "--logging.level.state.change.logger=ERROR")) {
            publish(embedded, tenant, CompletionEvents.answered(tenant, "sim-small").build());
            publish(embedded, tenant, CompletionEvents.answered(tenant, "sim-small").build());
            await().atMost(PATIENCE).until(() -> requests(service, tenant) == 2);

            BrokerServer broker = ((EmbeddedKafkaKraftBroker) embedded).getCluster().brokers().values().iterator().next();
            broker.shutdown();
            broker.awaitShutdown();
            assertThatThrownBy(() -> publish(embedded, tenant, CompletionEvents.answered(tenant, "sim-small").build()))
                    .as("the broker is really down").isNotNull();
            broker.startup();

            ChatCompletionRecordedEvent afterRestart = CompletionEvents.answered(tenant, "sim-small").build();
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> publish(embedded, tenant, afterRestart));
            publish(embedded, tenant, afterRestart);
            await().atMost(PATIENCE).until(() -> requests(service, tenant) == 3);
            assertThat(requests(service, tenant)).isEqualTo(3);
        }
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

    private static void publish(EmbeddedKafkaBroker broker, String tenant, ChatCompletionRecordedEvent event)
            throws Exception {
        var props = KafkaTestUtils.producerProps(broker.getBrokersAsString());
        props.put("max.block.ms", 5000);
        props.put("delivery.timeout.ms", 10000);
        props.put("request.timeout.ms", 4000);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            var record = new ProducerRecord<>(Topics.CHAT_COMPLETION_RECORDED, tenant, Http.JSON.writeValueAsBytes(event));
            record.headers().add(PlatformHeaders.AUTHORIZATION,
                    TestTokens.token(tenant, "chat").getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
    }
}
