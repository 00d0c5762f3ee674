package dev.genaiplatform.evaluation.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.evaluation.events.CompletionEventStore;
import dev.genaiplatform.evaluation.security.EventTokenVerifier;
import dev.genaiplatform.evaluation.security.InternalTokens;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The service's only subscription: every finished chat request, published by the orchestrator.
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
        String tenant = verifiedTenant(record);
        try (var tenantContext = MDC.putCloseable("tenantId", tenant);
             var request = MDC.putCloseable("requestId", header(record, PlatformHeaders.REQUEST_ID))) {
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

    private String verifiedTenant(ConsumerRecord<?, ?> record) {
        String token = header(record, PlatformHeaders.AUTHORIZATION);
        if (token == null || token.isBlank()) {
            throw new InvalidCompletionEventException("no " + PlatformHeaders.AUTHORIZATION
                    + " header: the producer must copy the request's internal token onto the event", null);
        }
        // Only a bad token dead-letters the record. Any other JwtException means the gateway's keys could not be
        // fetched (the gateway is down): not the record's fault, so it propagates and is retried with back-off.
        try {
            Jwt jwt = tokens.verify(token, Instant.ofEpochMilli(record.timestamp()));
            return InternalTokens.tenant(jwt);
        } catch (BadJwtException invalid) {
            throw new InvalidCompletionEventException("invalid " + PlatformHeaders.AUTHORIZATION + " token: "
                    + invalid.getMessage(), invalid);
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
