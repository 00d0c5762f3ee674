package dev.genaiplatform.guardrails.messaging;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.MessageHeaders;
import org.springframework.stereotype.Component;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Sends a check's reply the way {@code @SendTo} would, but when the listener says, so the reply leaves before the
 * verdict event is written (nobody waits for that one) instead of after the listener method returns. Same
 * addressing as {@code @SendTo}: the topic the asker named in {@code kafka_replyTopic} (the contract's reply topic
 * when it named none), its {@code kafka_replyPartition} if any, the request's key, the correlation id echoed. Same
 * template as Spring Kafka's replies (Boot's {@code KafkaTemplate}, its JSON serializer and its observation, so the
 * reply's span is a child of the listener's, as before), but a {@link ProducerRecord} built here rather than a
 * {@code Message} mapped header by header through the messaging converter.
 */
@Component
class CheckReplies {

    private final KafkaTemplate<Object, Object> template;

    CheckReplies(KafkaTemplate<Object, Object> template) {
        this.template = template;
    }

    /** Hands {@code reply} to the producer (fire and forget, as {@code @SendTo}: a failure is the producer's to log). */
    void send(MessageHeaders request, String defaultTopic, Object reply) {
        Object named = request.get(KafkaHeaders.REPLY_TOPIC);
        String topic = named == null ? defaultTopic
                : named instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : named.toString();
        Object key = request.get(KafkaHeaders.RECEIVED_KEY);
        var record = new ProducerRecord<Object, Object>(topic, replyPartition(request), key, reply);
        byte[] correlation = request.get(KafkaHeaders.CORRELATION_ID, byte[].class);
        if (correlation != null) {
            record.headers().add(KafkaHeaders.CORRELATION_ID, correlation);
        }
        template.send(record);
    }

    /** The partition the asker named, or none (the key decides) when the header is absent or not a 4-byte int. */
    static Integer replyPartition(MessageHeaders request) {
        byte[] partition = request.get(KafkaHeaders.REPLY_PARTITION, byte[].class);
        return partition == null || partition.length != Integer.BYTES ? null : ByteBuffer.wrap(partition).getInt();
    }
}
