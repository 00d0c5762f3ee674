package dev.genaiplatform.tools;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.tools.calculator.CalculatorTool;
import dev.genaiplatform.tools.invocation.ToolInvoker;
import dev.genaiplatform.tools.registry.PlatformTool;
import dev.genaiplatform.tools.registry.ToolPolicy;
import dev.genaiplatform.tools.registry.ToolRegistry;
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
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every bean of the service: the tools, the policy that limits them, the topics it consumes, and dead letters. */
@Configuration(proxyBeanMethods = false)
class ToolsAgentConfiguration {

    private static final int PARTITIONS = 3;

    /** A new tool is one more {@link PlatformTool} bean; the registry picks up all of them. */
    @Bean
    CalculatorTool calculatorTool(JsonMapper json) {
        return new CalculatorTool(json);
    }

    @Bean
    ToolRegistry toolRegistry(List<PlatformTool> tools) {
        return new ToolRegistry(tools);
    }

    @Bean
    ToolPolicy toolPolicy(ToolsAgentProperties properties) {
        return new ToolPolicy(properties.maxRisk(), properties.granted());
    }

    @Bean
    ToolInvoker toolInvoker(ToolRegistry registry, ToolPolicy policy, JsonMapper json, MeterRegistry meterRegistry) {
        return new ToolInvoker(registry, policy, json, meterRegistry);
    }

    @Bean
    NewTopic invokeTopic() {
        return TopicBuilder.name(Topics.TOOLS_INVOKE).partitions(PARTITIONS).replicas(1).build();
    }

    @Bean
    NewTopic invokeDeadLetterTopic() {
        return TopicBuilder.name(Topics.deadLetter(Topics.TOOLS_INVOKE)).partitions(PARTITIONS).replicas(1).build();
    }

    /**
     * A record that cannot be read goes straight to its topic's dead-letter twin: retrying would not heal it,
     * and the partition must keep moving. A record that failed to deserialize reaches the recoverer as its raw
     * bytes; the byte-array template forwards them unchanged (the JSON serializer would re-encode them).
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
