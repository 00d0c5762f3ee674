package dev.genaiplatform.evaluation.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.GuardrailVerdictRecordedEvent;
import dev.genaiplatform.evaluation.safety.GuardrailVerdictStore;
import dev.genaiplatform.evaluation.security.EventTokenVerifier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Every guardrail verdict, published by guardrails, handled exactly like a completion: the token in
 * {@code platform-auth} names the tenant, bad records go to {@code guardrails.verdict-recorded.v1.dlt} with the
 * reason, and the offset is committed after the row is stored (ack mode {@code record}).
 *
 * <p>The JSON type is fixed here rather than read from {@code __TypeId__}: this topic carries one record type,
 * and a producer in another language sends no type header.
 */
@Component
class GuardrailVerdictListener {

    private static final Logger log = LoggerFactory.getLogger(GuardrailVerdictListener.class);

    private final GuardrailVerdictStore store;
    private final EventTokenVerifier tokens;

    GuardrailVerdictListener(GuardrailVerdictStore store, EventTokenVerifier tokens) {
        this.store = store;
        this.tokens = tokens;
    }

    @KafkaListener(topics = Topics.GUARDRAILS_VERDICT_RECORDED, properties = {
            "spring.json.value.default.type=dev.genaiplatform.contracts.guardrails.GuardrailVerdictRecordedEvent",
            "spring.json.use.type.headers=false"})
    void onVerdictRecorded(ConsumerRecord<String, GuardrailVerdictRecordedEvent> record) {
        String tenant = RecordTokens.verifiedTenant(record, tokens);
        try (var tenantContext = MDC.putCloseable("tenantId", tenant);
             var request = MDC.putCloseable("requestId", RecordTokens.header(record, PlatformHeaders.REQUEST_ID))) {
            GuardrailVerdictRecordedEvent event = record.value();
            if (event != null && event.tenantId() != null && !tenant.equals(event.tenantId())) {
                throw new InvalidCompletionEventException("verdict event " + event.eventId() + " names tenant '"
                        + event.tenantId() + "' but its token was issued for '" + tenant + "'", null);
            }
            boolean stored;
            try {
                stored = store.store(event, tenant);
            } catch (IllegalArgumentException invalid) {
                throw new InvalidCompletionEventException(invalid.getMessage(), invalid);
            }
            log.debug("guardrail verdict {} stage={} verdict={} {}", event.eventId(), event.stage(), event.verdict(),
                    stored ? "stored" : "dropped as a duplicate");
        }
    }
}
