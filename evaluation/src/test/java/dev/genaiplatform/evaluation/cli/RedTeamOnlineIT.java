package dev.genaiplatform.evaluation.cli;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.GuardrailVerdictRecordedEvent;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.evaluation.support.Http;
import dev.genaiplatform.evaluation.support.ReplayGateway;
import dev.genaiplatform.evaluation.support.TestDatabase;
import dev.genaiplatform.evaluation.support.TestTokens;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The red-team command with its online half: while the recorded probes replay, guardrail verdicts for the key's
 * tenant arrive over a real broker; the report then sets the scorecard's categories next to the verdicts the
 * real evaluation service stored for the run's period, read through the (played) gateway's evaluation route.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "logging.level.org.apache.kafka=WARN", "logging.level.kafka=WARN",
                "logging.level.state.change.logger=WARN"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class RedTeamOnlineIT {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
        TestTokens.register(registry);
    }

    @Autowired
    private EmbeddedKafkaBroker broker;

    @Autowired
    private KafkaListenerEndpointRegistry listeners;

    @LocalServerPort
    private int port;

    @TempDir
    private Path temp;

    @Test
    void theScorecardShowsTheGuardrailsVerdictsOfTheSamePeriodPerCategory() throws Exception {
        String tenant = "redteam-" + UUID.randomUUID();
        String chatToken = TestTokens.token(tenant, "chat");
        for (var container : listeners.getListenerContainers()) {
            ContainerTestUtils.waitForAssignment(container, 3);
        }
        // Before the run: outside its period, must not count.
        publish(tenant, verdict(tenant, Verdict.BLOCKED, Instant.now().minusSeconds(3600), "LLM01:2025 Prompt Injection"), chatToken);
        Instant now = Instant.now();
        publish(tenant, verdict(tenant, Verdict.BLOCKED, now, "LLM01:2025 Prompt Injection"), chatToken);
        publish(tenant, verdict(tenant, Verdict.BLOCKED, now, "LLM01:2025 Prompt Injection"), chatToken);
        publish(tenant, verdict(tenant, Verdict.REDACTED, now, "LLM02:2025 Sensitive Information Disclosure"), chatToken);
        publish(tenant, verdict(tenant, Verdict.BLOCKED, now, "LLM10:2025 Unbounded Consumption"), chatToken);
        publish(tenant, verdict(tenant, Verdict.ALLOWED, now), chatToken);

        try (ReplayGateway gateway = new ReplayGateway("redteam.sim-small.json")
                .routeEvaluationTo(URI.create("http://127.0.0.1:" + port), TestTokens.token(tenant, "evaluation"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int exit = EvaluationCommand.run(new String[]{"redteam", "--gateway", gateway.url().toString(),
                            "--api-key", "k", "--out", temp.resolve("redteam.json").toString(),
                            "--passages", ReplayGateway.fixture("redteam.sim-small.json").toString(),
                            "--online-wait-seconds", "3"},
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            String report = out.toString(StandardCharsets.UTF_8);

            assertThat(exit).isZero();
            assertThat(report).contains("every stage: 5 checks")
                    .containsPattern("(?m)^  LLM01  5 / 5 +2 +0 +0$")
                    .containsPattern("(?m)^  LLM02  2 / 3 +0 +1 +0$")
                    .containsPattern("(?m)^  LLM03  not probed +0 +0 +0$")
                    .containsPattern("(?m)^  LLM10  2 / 2 +1 +0 +0$")
                    .containsPattern("(?m)^  none   - +0 +0 +1$");
            assertThat(Files.readString(temp.resolve("redteam.json")))
                    .contains("\"online\" : {").contains("\"category\" : \"LLM02\"");
        }
    }

    private static GuardrailVerdictRecordedEvent verdict(String tenant, Verdict verdict, Instant at, String... categories) {
        return new GuardrailVerdictRecordedEvent(UUID.randomUUID().toString(), at, "chatcmpl-" + UUID.randomUUID(),
                tenant, "input", "default", verdict, null, List.of(), List.of(categories),
                verdict == Verdict.BLOCKED ? "blocked" : null, 200);
    }

    private void publish(String key, GuardrailVerdictRecordedEvent event, String token) throws Exception {
        Map<String, Object> props = KafkaTestUtils.producerProps(broker);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            var record = new ProducerRecord<>(Topics.GUARDRAILS_VERDICT_RECORDED, key, Http.JSON.writeValueAsBytes(event));
            record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
    }
}
