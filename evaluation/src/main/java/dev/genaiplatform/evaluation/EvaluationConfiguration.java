package dev.genaiplatform.evaluation;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.evaluation.aggregates.CompletionAggregator;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every bean of the service: the aggregator, the topics it consumes and what happens to bad records. */
@Configuration(proxyBeanMethods = false)
class EvaluationConfiguration {

    private static final int PARTITIONS = 3;

    @Bean
    CompletionAggregator completionAggregator(EvaluationProperties properties, MeterRegistry meterRegistry) {
        return new CompletionAggregator(properties.recentEventIds(), properties.highestTrackableLatency(), meterRegistry);
    }

    @Bean
    NewTopic chatCompletionRecordedTopic() {
        return TopicBuilder.name(Topics.CHAT_COMPLETION_RECORDED).partitions(PARTITIONS).replicas(1).build();
    }

    @Bean
    NewTopic chatCompletionRecordedDeadLetterTopic() {
        return TopicBuilder.name(Topics.deadLetter(Topics.CHAT_COMPLETION_RECORDED))
                .partitions(PARTITIONS).replicas(1).build();
    }

    /**
     * A record that cannot be parsed or is invalid goes straight to the topic's dead-letter twin, so it
     * never blocks its partition. No retries: neither failure heals by trying again. A record that failed
     * to deserialize reaches the recoverer as its original bytes, which the JSON serializer would re-encode
     * as a base64 string; a byte-array template keeps the dead letter identical to what was received.
     */
    @Bean
    CommonErrorHandler deadLetterErrorHandler(KafkaTemplate<Object, Object> template,
                                              ProducerFactory<Object, Object> producerFactory) {
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        templates.put(byte[].class, new KafkaTemplate<>(producerFactory,
                Map.of(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)));
        templates.put(Object.class, template);
        var recoverer = new DeadLetterPublishingRecoverer(templates,
                (record, exception) -> new TopicPartition(Topics.deadLetter(record.topic()), -1));
        return new DefaultErrorHandler(recoverer, new FixedBackOff(0, 0));
    }
}
