package dev.genaiplatform.guardrails.messaging;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.Finding;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;
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
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The service as the orchestrator sees it: a request/reply round trip over a real (embedded) broker. */
@SpringBootTest(properties = "logging.level.org.apache.kafka=warn")
@EmbeddedKafka(topics = Topics.GUARDRAILS_INPUT_CHECKED, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InputCheckOverKafkaIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;

    private ReplyingKafkaTemplate<String, CheckInputCommand, InputCheckedReply> asker;

    @BeforeAll
    void startAsker() throws InterruptedException {
        var producers = new DefaultKafkaProducerFactory<String, CheckInputCommand>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, JacksonJsonSerializer.class));
        var consumers = new DefaultKafkaConsumerFactory<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "it-orchestrator",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new JacksonJsonDeserializer<>(InputCheckedReply.class));
        var replies = new KafkaMessageListenerContainer<>(consumers, new ContainerProperties(Topics.GUARDRAILS_INPUT_CHECKED));
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
    void answersACheckWithARedactedReply() throws Exception {
        InputCheckedReply reply = ask("conversation-1", new CheckInputCommand("chatcmpl-1", List.of(
                new ChatMessage("system", "You are a helpful assistant."),
                new ChatMessage("user", "Mail me at jane.doe@example.com: how does retrieval rank passages?"))));

        assertThat(reply.requestId()).isEqualTo("chatcmpl-1");
        assertThat(reply.verdict()).isEqualTo(Verdict.REDACTED);
        assertThat(reply.messages().get(1).content())
                .isEqualTo("Mail me at <EMAIL_ADDRESS>: how does retrieval rank passages?");
        assertThat(reply.findings()).containsExactly(new Finding("pii", "EMAIL_ADDRESS", 1, 11, 31));
    }

    @Test
    void parksGarbageOnTheDeadLetterTopicAndAnswersTheNextCommandOnTheSamePartition() throws Exception {
        byte[] garbage = "this is { not json".getBytes(StandardCharsets.UTF_8);
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(Topics.GUARDRAILS_CHECK_INPUT, "conversation-2", garbage)).get(30, TimeUnit.SECONDS);
        }

        InputCheckedReply reply = ask("conversation-2", new CheckInputCommand("chatcmpl-2",
                List.of(new ChatMessage("user", "What is hybrid search?"))));

        assertThat(reply.verdict()).isEqualTo(Verdict.ALLOWED);
        try (Consumer<String, byte[]> deadLetters = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "it-dead-letters",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            deadLetters.subscribe(List.of(Topics.deadLetter(Topics.GUARDRAILS_CHECK_INPUT)));
            ConsumerRecord<String, byte[]> parked = KafkaTestUtils.getSingleRecord(deadLetters,
                    Topics.deadLetter(Topics.GUARDRAILS_CHECK_INPUT), TIMEOUT);
            assertThat(parked.value()).isEqualTo(garbage);
            assertThat(parked.key()).isEqualTo("conversation-2");
        }
    }

    private InputCheckedReply ask(String key, CheckInputCommand command) throws Exception {
        return asker.sendAndReceive(new ProducerRecord<>(Topics.GUARDRAILS_CHECK_INPUT, key, command))
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).value();
    }
}
