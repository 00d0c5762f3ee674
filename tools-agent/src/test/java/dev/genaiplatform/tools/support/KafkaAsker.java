package dev.genaiplatform.tools.support;

import dev.genaiplatform.contracts.PlatformHeaders;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.support.KafkaHeaders;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The orchestrator's side of the wire, as plainly as possible: JSON bodies, the token in {@code platform-auth},
 * Spring Kafka's reply-topic and correlation headers; and a tap that reads events. Raw clients, so the test
 * proves what any producer (in any language) must send.
 */
public final class KafkaAsker implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final JsonMapper json = JsonMapper.builder().build();
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final String replyTopic;
    private final Map<String, ConsumerRecord<String, byte[]>> replies = new ConcurrentHashMap<>();
    private final List<ConsumerRecord<String, byte[]>> events = new ArrayList<>();

    public KafkaAsker(String bootstrapServers, String replyTopic, Collection<String> eventTopics) {
        this.replyTopic = replyTopic;
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        List<String> topics = new ArrayList<>(eventTopics);
        topics.add(replyTopic);
        consumer.subscribe(topics);
    }

    /** Sends a command with a reply topic and a fresh correlation id; returns the id. */
    public String send(String topic, String key, Object body, String token) {
        String correlation = UUID.randomUUID().toString();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, json.writeValueAsBytes(body));
        if (token != null) {
            record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
        }
        record.headers().add(KafkaHeaders.REPLY_TOPIC, replyTopic.getBytes(StandardCharsets.UTF_8));
        record.headers().add(KafkaHeaders.CORRELATION_ID, correlation.getBytes(StandardCharsets.UTF_8));
        producer.send(record);
        producer.flush();
        return correlation;
    }

    public void sendRaw(String topic, String key, byte[] body, String token) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, body);
        if (token != null) {
            record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record);
        producer.flush();
    }

    public <T> T ask(String topic, Object body, String token, Class<T> replyType) {
        return reply(send(topic, "k", body, token), replyType);
    }

    public synchronized <T> T reply(String correlation, Class<T> replyType) {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            ConsumerRecord<String, byte[]> record = replies.remove(correlation);
            if (record != null) {
                return json.readValue(record.value(), replyType);
            }
            pollOnce();
        }
        throw new AssertionError("No reply for " + correlation + " within " + WAIT);
    }

    /** Waits until {@code count} events on the topic match; returns them parsed. */
    public synchronized <T> List<T> awaitEvents(String topic, Class<T> type, Predicate<T> match, int count) {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            List<T> found = eventsOf(topic, type, match);
            if (found.size() >= count || Instant.now().isAfter(deadline)) {
                return found;
            }
            pollOnce();
        }
    }

    /** Events seen so far (after polling briefly). */
    public synchronized <T> List<T> eventsOf(String topic, Class<T> type, Predicate<T> match) {
        pollOnce();
        return events.stream().filter(r -> r.topic().equals(topic)).map(r -> json.readValue(r.value(), type))
                .filter(match).toList();
    }

    public synchronized List<ConsumerRecord<String, byte[]>> records(String topic) {
        pollOnce();
        return events.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    private void pollOnce() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            Header correlation = record.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
            if (record.topic().equals(replyTopic) && correlation != null) {
                replies.put(new String(correlation.value(), StandardCharsets.UTF_8), record);
            } else {
                events.add(record);
            }
        }
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }
}
