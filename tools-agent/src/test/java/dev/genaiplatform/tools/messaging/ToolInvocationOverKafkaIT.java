package dev.genaiplatform.tools.messaging;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.tools.InvokeToolCommand;
import dev.genaiplatform.contracts.tools.ToolInvokedReply;
import dev.genaiplatform.contracts.tools.ToolInvokedReply.Status;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The service as the orchestrator and a browser see it: Kafka request/reply and the HTTP registry, one context. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logging.level.org.apache.kafka=warn")
@EmbeddedKafka(topics = Topics.TOOLS_INVOKED, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ToolInvocationOverKafkaIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;

    @LocalServerPort
    private int port;

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private ReplyingKafkaTemplate<String, InvokeToolCommand, ToolInvokedReply> asker;

    @BeforeAll
    void startAsker() throws InterruptedException {
        var producers = new DefaultKafkaProducerFactory<String, InvokeToolCommand>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, JacksonJsonSerializer.class));
        var consumers = new DefaultKafkaConsumerFactory<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "it-orchestrator",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new JacksonJsonDeserializer<>(ToolInvokedReply.class));
        var replies = new KafkaMessageListenerContainer<>(consumers, new ContainerProperties(Topics.TOOLS_INVOKED));
        asker = new ReplyingKafkaTemplate<>(producers, replies);
        asker.setDefaultReplyTimeout(TIMEOUT);
        asker.start();
        asker.waitForAssignment(TIMEOUT);
    }

    @AfterAll
    void stopAsker() {
        asker.stop();
    }

    @Test
    void runsTheCalculatorOverKafka() throws Exception {
        ToolInvokedReply reply = ask("run-1", new InvokeToolCommand("chatcmpl-1", "calculator",
                "{\"expression\":\"(2 + 3) * 4\"}"));

        assertThat(reply.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(reply.requestId()).isEqualTo("chatcmpl-1");
        assertThat(json.readTree(reply.resultJson()).get("value").asInt()).isEqualTo(20);
    }

    @Test
    void answersAnUnknownToolWithUnknownTool() throws Exception {
        ToolInvokedReply reply = ask("run-2", new InvokeToolCommand("chatcmpl-2", "shell", "{\"cmd\":\"ls\"}"));

        assertThat(reply.status()).isEqualTo(Status.UNKNOWN_TOOL);
        assertThat(reply.error()).contains("shell");
    }

    @Test
    void parksGarbageOnTheDeadLetterTopicAndAnswersTheNextCommandOnTheSamePartition() throws Exception {
        byte[] garbage = "\u0000\u0001 not json at all".getBytes(StandardCharsets.UTF_8);
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(Topics.TOOLS_INVOKE, "run-3", garbage)).get(30, TimeUnit.SECONDS);
        }

        ToolInvokedReply reply = ask("run-3", new InvokeToolCommand("chatcmpl-3", "calculator", "{\"expression\":\"1 / 0\"}"));

        assertThat(reply.status()).isEqualTo(Status.FAILED);
        assertThat(reply.error()).isEqualTo("Division by zero.");
        try (Consumer<String, byte[]> deadLetters = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "it-dead-letters",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            deadLetters.subscribe(List.of(Topics.deadLetter(Topics.TOOLS_INVOKE)));
            ConsumerRecord<String, byte[]> parked = KafkaTestUtils.getSingleRecord(deadLetters,
                    Topics.deadLetter(Topics.TOOLS_INVOKE), TIMEOUT);
            assertThat(parked.value()).isEqualTo(garbage);
        }
    }

    @Test
    void listsTheRegistryOverHttpWithSchemaAndRisk() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/api/tools")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode calculator = json.readTree(response.body()).get(0);
        assertThat(calculator.get("name").asString()).isEqualTo("calculator");
        assertThat(calculator.get("riskLevel").asString()).isEqualTo("LOW");
        assertThat(calculator.get("allowed").asBoolean()).isTrue();
        assertThat(calculator.at("/inputSchema/required/0").asString()).isEqualTo("expression");
    }

    @Test
    void answersAFailedInvocationOverHttpWithProblemJson() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/api/tools/calculator/invocations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"expression\":\"2 +\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("type").asString()).isEqualTo("urn:genai-platform:problem:invalid-arguments");
        assertThat(problem.get("instance").asString()).isEqualTo("/api/tools/calculator/invocations");
        assertThat(problem.at("/error/message").asString()).contains("Not a valid arithmetic expression");
        assertThat(problem.at("/error/type").asString()).isEqualTo("invalid_request_error");
    }

    @Test
    void answersAnUnknownToolOverHttpWith404ProblemJson() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/api/tools/shell")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("type").asString()).isEqualTo("urn:genai-platform:problem:unknown-tool");
        assertThat(problem.at("/error/code").asString()).isEqualTo("unknown-tool");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private ToolInvokedReply ask(String key, InvokeToolCommand command) throws Exception {
        return asker.sendAndReceive(new ProducerRecord<>(Topics.TOOLS_INVOKE, key, command))
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).value();
    }
}
