package dev.genaiplatform.launcher;

import dev.genaiplatform.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.genaiplatform.launcher.InfrastructureClients.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Least privilege on the backbone, on the running platform: every service is connected to the broker under the ACLs
 * of {@link KafkaAccess}, a real Kafka client logged in as one service's user is refused what its row does not give
 * it, and the platform still answers through every Kafka hop (guardrails, retrieval, evaluation).
 *
 * <p>Ordered after the other classes on the shared platform (and before {@link RegionFailoverIT}, which kills part of
 * it), so its last check, that no service was ever refused anything, covers the traffic of the whole run.
 */
@Order(Integer.MAX_VALUE - 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaLeastPrivilegeIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theBrokerEnforcesExactlyTheTablesAcls() throws Exception {
        assertThat(RunningPlatform.platform().kafka().acls()).isEqualTo(KafkaAccess.bindings());
    }

    @Test
    void evaluationCannotReadThePromptsGuardrailsChecks() throws Exception {
        // in a group of its own prefix, so only the topic's ACL stands in the way
        try (var consumer = consumer("evaluation", "evaluation-acl-probe-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(Topics.GUARDRAILS_CHECK_INPUT));
            assertThatThrownBy(() -> pollUntilRefused(consumer)).isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(Topics.GUARDRAILS_CHECK_INPUT);
        }
        // nor without a group, by fetching a partition directly
        try (var consumer = consumer("evaluation", null)) {
            consumer.assign(List.of(new TopicPartition(Topics.GUARDRAILS_CHECK_INPUT, 0)));
            assertThatThrownBy(() -> pollUntilRefused(consumer)).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void noServiceButTheGatewayCanAnnounceAKeyRevocation() throws Exception {
        for (String user : KafkaAccess.users()) {
            if (user.equals("gateway")) {
                continue;
            }
            assertThatThrownBy(() -> send(bootstrap(), login(user), Topics.GATEWAY_API_KEY_REVOKED, "forged"))
                    .as(user).satisfies(refused -> assertThat(causes(refused))
                            .hasAtLeastOneElementOfType(TopicAuthorizationException.class));
        }
    }

    @Test
    void aServiceCannotJoinAConsumerGroupOfAnother() throws Exception {
        // a topic evaluation may read, in a group named like guardrails' (one nobody uses: nothing to disturb)
        try (var consumer = consumer("evaluation", "guardrails-acl-probe-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(Topics.CHAT_COMPLETION_RECORDED));
            assertThatThrownBy(() -> pollUntilRefused(consumer)).isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void aServiceCannotCreateATopicOutsideItsRow() {
        assertThatThrownBy(() -> send(bootstrap(), login("guardrails"), "launcher.acl-probe.v1", "anything"))
                .satisfies(refused -> assertThat(causes(refused))
                        .hasAtLeastOneElementOfType(TopicAuthorizationException.class));
    }

    @Test
    void anAnswerStillCrossesGuardrailsRetrievalAndEvaluationOverTheBroker() throws Exception {
        long recordedBefore = requestsRecordedByEvaluation();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(gateway("/v1/chat/completions"))
                        .header("Authorization", "Bearer " + RunningPlatform.DEMO_KEY)
                        .header("Content-Type", "application/json").header("Cache-Control", "no-cache")
                        .POST(HttpRequest.BodyPublishers.ofString("""
                                {"model":"sim-small","messages":[{"role":"user","content":"How does retrieval rank passages?"}]}"""))
                        .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode trace = JSON.readTree(response.body()).get("platform");
        // guardrails answered the input check and retrieval the search: both request/reply over Kafka
        assertThat(trace.at("/guardrails/input/decision").asString()).as("trace " + trace).isNotEmpty();
        assertThat(trace.at("/retrieval/passages")).as("trace " + trace).isNotEmpty();
        // the orchestrator's completion event reached evaluation
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(requestsRecordedByEvaluation()).isGreaterThan(recordedBefore));
    }

    private static long requestsRecordedByEvaluation() throws Exception {
        HttpResponse<String> aggregates = HTTP.send(HttpRequest.newBuilder(gateway("/api/evaluation/aggregates?model=sim-small"))
                        .header("Authorization", "Bearer " + RunningPlatform.DEMO_KEY).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(aggregates.statusCode()).as(aggregates.body()).isEqualTo(200);
        long requests = 0;
        for (JsonNode row : JSON.readTree(aggregates.body())) {
            requests += row.get("requests").asLong();
        }
        return requests;
    }

    /** Last: whatever ran on the shared platform before, no service hit an operation its row does not allow. */
    @Test
    @Order(Integer.MAX_VALUE)
    void noServiceWasRefusedAnythingByTheBroker() throws Exception {
        assertNoKafkaRefusalIn(RunningPlatform.platform().services());
    }

    /** No Kafka authorisation error in these services' logs: everything they did was within their rows. */
    static void assertNoKafkaRefusalIn(List<ServiceProcess> services) throws IOException {
        assertThat(services).isNotEmpty();
        for (ServiceProcess service : services) {
            assertThat(Files.readString(service.logFile())).as(service.name() + "'s log")
                    .doesNotContain("TopicAuthorizationException", "GroupAuthorizationException",
                            "ClusterAuthorizationException", "Not authorized to access");
        }
    }

    private static void pollUntilRefused(KafkaConsumer<String, String> consumer) {
        for (int i = 0; i < 30; i++) {
            consumer.poll(Duration.ofSeconds(1));
        }
    }

    private static KafkaConsumer<String, String> consumer(String user, String group) throws Exception {
        Map<String, Object> config = new HashMap<>(login(user));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static Map<String, String> login(String user) throws Exception {
        return KafkaBroker.clientSecurity(user, RunningPlatform.platform().secrets().kafkaPassword(user));
    }

    private static String bootstrap() throws Exception {
        return RunningPlatform.get().bootstrapServers();
    }

    private static URI gateway(String path) throws Exception {
        return URI.create("http://127.0.0.1:" + RunningPlatform.get().gatewayPort() + path);
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
