package dev.genaiplatform.tools.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.tools.ToolApprovalDecidedEvent;
import dev.genaiplatform.contracts.tools.ToolApprovalRequestedEvent;
import dev.genaiplatform.contracts.tools.ToolCalledEvent;
import dev.genaiplatform.tools.invocation.ToolEvents;
import dev.genaiplatform.tools.security.Caller;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.nio.charset.StandardCharsets;

/**
 * Publishes events keyed by run id (else call id), so one run's events stay in order on one partition, with the
 * token of the request they act for in {@code platform-auth}. Work resumed from the ledger without a live request
 * (a sweep after a restart) carries only the tenant header, as ADR 0004 allows for work accepted earlier.
 * Publishing is fire-and-forget: the ledger, not the event, is the record of truth.
 */
public final class KafkaToolEvents implements ToolEvents {

    private static final Logger log = LoggerFactory.getLogger(KafkaToolEvents.class);

    private final KafkaTemplate<Object, Object> kafka;

    public KafkaToolEvents(KafkaTemplate<Object, Object> kafka) {
        this.kafka = kafka;
    }

    @Override
    public void toolCalled(ToolCalledEvent event, Caller caller) {
        send(Topics.TOOLS_TOOL_CALLED, event.runId() != null ? event.runId() : event.callId(), event, caller);
    }

    @Override
    public void approvalRequested(ToolApprovalRequestedEvent event, Caller caller) {
        send(Topics.TOOLS_APPROVAL_REQUESTED, event.runId() != null ? event.runId() : event.callId(), event, caller);
    }

    @Override
    public void approvalDecided(ToolApprovalDecidedEvent event, Caller caller) {
        send(Topics.TOOLS_APPROVAL_DECIDED, event.runId() != null ? event.runId() : event.approvalId(), event, caller);
    }

    private void send(String topic, String key, Object event, Caller caller) {
        ProducerRecord<Object, Object> record = new ProducerRecord<>(topic, key, event);
        if (caller != null) {
            record.headers().add(PlatformHeaders.TENANT_ID, caller.tenant().getBytes(StandardCharsets.UTF_8));
            if (caller.token() != null) {
                record.headers().add(PlatformHeaders.AUTHORIZATION, caller.token().getBytes(StandardCharsets.UTF_8));
            }
        }
        kafka.send(record).whenComplete((result, failure) -> {
            if (failure != null) {
                log.warn("Could not publish to {}: {}", topic, failure.getMessage());
            }
        });
    }
}
