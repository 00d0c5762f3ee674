package dev.genaiplatform.guardrails;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.guardrails.detection.GuardrailPipeline;
import dev.genaiplatform.guardrails.pii.PiiDetector;
import dev.genaiplatform.guardrails.size.InputSizeDetector;
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
import java.util.List;
import java.util.Map;

/** Every bean of the service: the detectors in the order they run, the topics it consumes, and dead letters. */
@Configuration(proxyBeanMethods = false)
class GuardrailsConfiguration {

    private static final int PARTITIONS = 3;

    /**
     * The order is the policy: the size check is cheap and blocks, so it runs first and an oversize prompt is
     * never scanned; then PII masking. A new detector (prompt injection, say) is one more entry here.
     */
    @Bean
    GuardrailPipeline guardrailPipeline(GuardrailsProperties properties, MeterRegistry meterRegistry) {
        return new GuardrailPipeline(List.of(
                new InputSizeDetector(properties.maxInputChars()),
                new PiiDetector()), meterRegistry);
    }

    @Bean
    NewTopic checkInputTopic() {
        return TopicBuilder.name(Topics.GUARDRAILS_CHECK_INPUT).partitions(PARTITIONS).replicas(1).build();
    }

    @Bean
    NewTopic checkInputDeadLetterTopic() {
        return TopicBuilder.name(Topics.deadLetter(Topics.GUARDRAILS_CHECK_INPUT)).partitions(PARTITIONS).replicas(1).build();
    }

    /**
     * A record that cannot be read or processed goes straight to its topic's dead-letter twin: retrying would
     * not heal it, and the partition must keep moving. A record that failed to deserialize reaches the recoverer
     * as its raw bytes; the byte-array template forwards them unchanged (the JSON serializer would re-encode them).
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
