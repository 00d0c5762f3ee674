package dev.genaiplatform.evaluation.messaging;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.evaluation.events.CompletionEventStore;
import dev.genaiplatform.evaluation.events.TenantEvent;
import dev.genaiplatform.evaluation.security.EventTokenVerifier;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Every finished chat request, published by the orchestrator, a poll at a time.
 *
 * <p>Each record must carry the gateway's internal token in {@code platform-auth} (ADR 0004); the event is
 * stored under the tenant that token names. A record without a valid token, whose body names another tenant,
 * or that is unreadable or invalid goes to {@code chat.completion-recorded.v1.dlt} with the reason and is never
 * stored. The accepted events of a poll are stored in one statement ({@link CompletionEventStore#storeAll}) and
 * the offsets committed after it (ack mode {@code batch}), so a crash in between redelivers them and the
 * event-id key drops the copies. {@link RecordBatch} keeps the failure rules record by record.
 */
@Component
class CompletionEventListener {

    private static final Logger log = LoggerFactory.getLogger(CompletionEventListener.class);

    private final CompletionEventStore store;
    private final EventTokenVerifier tokens;
    private final ObservationRegistry observations;

    CompletionEventListener(CompletionEventStore store, EventTokenVerifier tokens,
                            ObservationRegistry observations) {
        this.store = store;
        this.tokens = tokens;
        this.observations = observations;
    }

    // held by the broker for at most fetch-max-wait-ms (200 by default), not the verdicts' 500: at platform rates a
    // fetch returning at the first event made every event pay for its own poll, listener call, insert and commit;
    // feedback that follows an answer sooner than the event is stored waits for it (FeedbackStore)
    @KafkaListener(topics = Topics.CHAT_COMPLETION_RECORDED, batch = "true", properties = {
            "fetch.min.bytes=${platform.evaluation.completions.fetch-min-bytes:65536}",
            "fetch.max.wait.ms=${platform.evaluation.completions.fetch-max-wait-ms:200}"})
    void onCompletionsRecorded(List<ConsumerRecord<String, ChatCompletionRecordedEvent>> records) {
        RecordBatch.process(records, this::accept, accepted -> {
            int stored = store.storeAll(accepted);
            log.debug("{} completion events: {} stored, {} dropped as duplicates", accepted.size(), stored,
                    accepted.size() - stored);
        }, this.observations, "evaluation-completions");
    }

    /** The event under its verified tenant, or an {@link InvalidCompletionEventException} naming the reason. */
    TenantEvent<ChatCompletionRecordedEvent> accept(ConsumerRecord<String, ChatCompletionRecordedEvent> record) {
        String tenant = RecordTokens.verifiedTenant(record, tokens);
        ChatCompletionRecordedEvent event = record.value();
        if (event != null && event.tenantId() != null && !tenant.equals(event.tenantId())) {
            throw new InvalidCompletionEventException("event " + event.eventId() + " names tenant '"
                    + event.tenantId() + "' but its token was issued for '" + tenant + "'", null);
        }
        try {
            CompletionEventStore.validate(event);
        } catch (IllegalArgumentException invalid) {
            throw new InvalidCompletionEventException(invalid.getMessage(), invalid);
        }
        return new TenantEvent<>(tenant, event);
    }
}
