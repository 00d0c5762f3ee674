package dev.genaiplatform.evaluation.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.evaluation.events.CompletionEventStore;
import dev.genaiplatform.evaluation.security.EventTokenVerifier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Every finished chat request, published by the orchestrator.
 *
 * <p>Each record must carry the gateway's internal token in {@code platform-auth} (ADR 0004); the event is
 * stored under the tenant that token names. A record without a valid token, whose body names another tenant,
 * or that is unreadable or invalid goes to {@code chat.completion-recorded.v1.dlt} with the reason and is never
 * stored. The offset is committed after {@link CompletionEventStore#store} returns (ack mode {@code record}),
 * so a crash in between redelivers the record and the event-id key drops the copy.
 */
@Component
class CompletionEventListener {

    private static final Logger log = LoggerFactory.getLogger(CompletionEventListener.class);

    private final CompletionEventStore store;
    private final EventTokenVerifier tokens;

    CompletionEventListener(CompletionEventStore store, EventTokenVerifier tokens) {
        this.store = store;
        this.tokens = tokens;
    }

    @KafkaListener(topics = Topics.CHAT_COMPLETION_RECORDED)
    void onCompletionRecorded(ConsumerRecord<String, ChatCompletionRecordedEvent> record) {
        String tenant = RecordTokens.verifiedTenant(record, tokens);
        try (var tenantContext = MDC.putCloseable("tenantId", tenant);
             var request = MDC.putCloseable("requestId", RecordTokens.header(record, PlatformHeaders.REQUEST_ID))) {
            ChatCompletionRecordedEvent event = record.value();
            if (event != null && event.tenantId() != null && !tenant.equals(event.tenantId())) {
                throw new InvalidCompletionEventException("event " + event.eventId() + " names tenant '"
                        + event.tenantId() + "' but its token was issued for '" + tenant + "'", null);
            }
            boolean stored;
            try {
                stored = store.store(event, tenant);
            } catch (IllegalArgumentException invalid) {
                throw new InvalidCompletionEventException(invalid.getMessage(), invalid);
            }
            log.debug("completion event {} model={} outcome={} {}", event.eventId(), event.model(), event.outcome(),
                    stored ? "stored" : "dropped as a duplicate");
        }
    }
}
