package dev.genaiplatform.tools.messaging;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.tools.DecideToolApprovalCommand;
import dev.genaiplatform.contracts.tools.InvokeToolCommand;
import dev.genaiplatform.contracts.tools.ToolApprovalDecidedEvent;
import dev.genaiplatform.contracts.tools.ToolCallStatusQuery;
import dev.genaiplatform.contracts.tools.ToolCallStatusReport;
import dev.genaiplatform.contracts.tools.ToolInvokedReply;
import dev.genaiplatform.tools.approval.ApprovalDesk;
import dev.genaiplatform.tools.invocation.ToolCallService;
import dev.genaiplatform.tools.security.Caller;
import dev.genaiplatform.tools.security.KafkaTokenVerifier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every command this service consumes. Each record's token is verified first (header {@code platform-auth}); a
 * record without a valid one, or whose body is not the topic's record, goes to the topic's dead-letter twin with
 * the reason and is never acted on. Replies go where the asker's {@code kafka_replyTopic} says, with its
 * {@code kafka_correlationId}. Bodies are read here (values arrive as bytes), so a producer needs no Java type
 * headers.
 *
 * <p>A listener interrupted by a shutdown throws: the record is not acknowledged and is delivered again after the
 * restart, where the ledger makes the repeat harmless.
 */
@Component
class ToolCommandListeners {

    private static final Logger log = LoggerFactory.getLogger(ToolCommandListeners.class);

    private final ToolCallService calls;
    private final ApprovalDesk approvals;
    private final KafkaTokenVerifier tokens;
    private final JsonMapper json;

    ToolCommandListeners(ToolCallService calls, ApprovalDesk approvals, KafkaTokenVerifier tokens, JsonMapper json) {
        this.calls = calls;
        this.approvals = approvals;
        this.tokens = tokens;
        this.json = json;
    }

    @KafkaListener(id = "tools-invoke", topics = Topics.TOOLS_INVOKE)
    @SendTo
    ToolInvokedReply invoke(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        Caller caller = tokens.verify(record.headers());
        InvokeToolCommand command = json.readValue(record.value(), InvokeToolCommand.class);
        try (var tenant = MDC.putCloseable("tenantId", caller.tenant());
             var request = MDC.putCloseable("requestId", String.valueOf(command.requestId()))) {
            ToolInvokedReply reply = calls.invoke(command, caller);
            // names, statuses and timings only: arguments and results may hold user data
            log.info("Tool call: tool={} status={} replayed={} tookMillis={}", reply.toolName(), reply.status(),
                    reply.replayed(), reply.tookMillis());
            return reply;
        }
    }

    @KafkaListener(id = "tools-call-status", topics = Topics.TOOLS_CALL_STATUS)
    @SendTo
    ToolCallStatusReport status(ConsumerRecord<String, byte[]> record) {
        Caller caller = tokens.verify(record.headers());
        ToolCallStatusQuery query = json.readValue(record.value(), ToolCallStatusQuery.class);
        return calls.status(query.requestId(), query.idempotencyKey(), caller);
    }

    @KafkaListener(id = "tools-decide-approval", topics = Topics.TOOLS_DECIDE_APPROVAL)
    @SendTo
    ToolApprovalDecidedEvent decide(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        Caller approver = tokens.verify(record.headers());
        DecideToolApprovalCommand command = json.readValue(record.value(), DecideToolApprovalCommand.class);
        ToolApprovalDecidedEvent outcome = approvals.decide(command, approver).event();
        log.info("Approval decision: approval={} decision={} accepted={}", command.approvalId(), command.decision(),
                outcome.accepted());
        return outcome;
    }
}
