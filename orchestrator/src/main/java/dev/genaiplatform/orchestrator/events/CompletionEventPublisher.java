package dev.genaiplatform.orchestrator.events;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;

/**
 * Publishes one {@link ChatCompletionRecordedEvent} per chat request on {@value Topics#CHAT_COMPLETION_RECORDED},
 * keyed by tenant so one tenant's events stay in order. Evaluation, dashboards and cost accounting read it.
 *
 * <p>Fire and forget: the chat flow publishes from a virtual thread of its own once the answer is ready, so a failed
 * publish is logged, never turned into an error for the client.
 */
@Component
public class CompletionEventPublisher {

    private static final Logger log = LoggerFactory.getLogger(CompletionEventPublisher.class);

    private final KafkaTemplate<String, Object> kafka;

    CompletionEventPublisher(KafkaTemplate<String, Object> kafka) {
        this.kafka = kafka;
    }

    /** @param token the request's internal token: consumers verify it and take the tenant from it */
    public void publish(ChatCompletionRecordedEvent event, String token) {
        ProducerRecord<String, Object> record =
                new ProducerRecord<>(Topics.CHAT_COMPLETION_RECORDED, event.tenantId(), event);
        if (token != null) {
            record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
        }
        record.headers()
                .add(PlatformHeaders.TENANT_ID, event.tenantId().getBytes(StandardCharsets.UTF_8))
                .add(PlatformHeaders.REQUEST_ID, event.requestId().getBytes(StandardCharsets.UTF_8));
        try {
            this.kafka.send(record).whenComplete((result, failure) -> {
                if (failure != null) {
                    log.warn("Could not publish completion event for request {}: {}", event.requestId(),
                            failure.getMessage());
                }
            });
        }
        catch (RuntimeException ex) {
            log.warn("Could not publish completion event for request {}: {}", event.requestId(), ex.getMessage());
        }
    }
}
