package dev.genaiplatform.evaluation.messaging;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.GuardrailVerdictRecordedEvent;
import dev.genaiplatform.evaluation.events.TenantEvent;
import dev.genaiplatform.evaluation.safety.GuardrailVerdictStore;
import dev.genaiplatform.evaluation.security.EventTokenVerifier;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Every guardrail verdict, published by guardrails, handled exactly like a completion: the token in
 * {@code platform-auth} names the tenant, bad records go to {@code guardrails.verdict-recorded.v1.dlt} with the
 * reason, and a poll's accepted verdicts are stored in one statement before its offsets are committed. Several
 * verdicts per chat request (input, output, every screened passage) made this the busiest topic of the service.
 *
 * <p>The JSON type is fixed here rather than read from {@code __TypeId__}: this topic carries one record type,
 * and a producer in another language sends no type header.
 */
@Component
class GuardrailVerdictListener {

    private static final Logger log = LoggerFactory.getLogger(GuardrailVerdictListener.class);

    private final GuardrailVerdictStore store;
    private final EventTokenVerifier tokens;
    private final ObservationRegistry observations;

    GuardrailVerdictListener(GuardrailVerdictStore store, EventTokenVerifier tokens,
                             ObservationRegistry observations) {
        this.store = store;
        this.tokens = tokens;
        this.observations = observations;
    }

    @KafkaListener(topics = Topics.GUARDRAILS_VERDICT_RECORDED, batch = "true", properties = {
            "spring.json.value.default.type=dev.genaiplatform.contracts.guardrails.GuardrailVerdictRecordedEvent",
            "spring.json.use.type.headers=false"})
    void onVerdictsRecorded(List<ConsumerRecord<String, GuardrailVerdictRecordedEvent>> records) {
        RecordBatch.process(records, this::accept, accepted -> {
            int stored = store.storeAll(accepted);
            log.debug("{} guardrail verdicts: {} stored, {} dropped as duplicates", accepted.size(), stored,
                    accepted.size() - stored);
        }, this.observations, "evaluation-verdicts");
    }

    /** The verdict under its verified tenant, or an {@link InvalidCompletionEventException} naming the reason. */
    TenantEvent<GuardrailVerdictRecordedEvent> accept(ConsumerRecord<String, GuardrailVerdictRecordedEvent> record) {
        String tenant = RecordTokens.verifiedTenant(record, tokens);
        GuardrailVerdictRecordedEvent event = record.value();
        if (event != null && event.tenantId() != null && !tenant.equals(event.tenantId())) {
            throw new InvalidCompletionEventException("verdict event " + event.eventId() + " names tenant '"
                    + event.tenantId() + "' but its token was issued for '" + tenant + "'", null);
        }
        try {
            GuardrailVerdictStore.validate(event);
        } catch (IllegalArgumentException invalid) {
            throw new InvalidCompletionEventException(invalid.getMessage(), invalid);
        }
        return new TenantEvent<>(tenant, event);
    }
}
