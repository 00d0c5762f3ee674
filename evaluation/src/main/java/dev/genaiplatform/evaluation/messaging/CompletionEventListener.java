package dev.genaiplatform.evaluation.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.evaluation.aggregates.CompletionAggregator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;

/**
 * The service's only subscription: every finished chat request, published by the orchestrator. A record
 * that fails here (unparseable, invalid, or whose tenant header contradicts its body) goes to
 * {@code chat.completion-recorded.v1.dlt} through the error handler and is not counted.
 */
@Component
class CompletionEventListener {

    private static final Logger log = LoggerFactory.getLogger(CompletionEventListener.class);

    private final CompletionAggregator aggregator;

    CompletionEventListener(CompletionAggregator aggregator) {
        this.aggregator = aggregator;
    }

    @KafkaListener(topics = Topics.CHAT_COMPLETION_RECORDED)
    void onCompletionRecorded(ConsumerRecord<String, ChatCompletionRecordedEvent> record) {
        String tenantHeader = header(record, PlatformHeaders.TENANT_ID);
        try (var tenant = MDC.putCloseable("tenantId", tenantHeader);
             var request = MDC.putCloseable("requestId", header(record, PlatformHeaders.REQUEST_ID))) {
            ChatCompletionRecordedEvent event = record.value();
            // The header is what every service routes on; a body that disagrees would count under another tenant.
            if (event != null && tenantHeader != null && !tenantHeader.equals(event.tenantId())) {
                throw new IllegalArgumentException("event " + event.eventId() + " names tenant '" + event.tenantId()
                        + "' but its " + PlatformHeaders.TENANT_ID + " header says '" + tenantHeader + "'");
            }
            boolean counted = aggregator.record(event);
            log.debug("completion event {} model={} outcome={} latencyMillis={} {}", event.eventId(), event.model(),
                    event.outcome(), event.latencyMillis(), counted ? "counted" : "dropped as a duplicate");
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
