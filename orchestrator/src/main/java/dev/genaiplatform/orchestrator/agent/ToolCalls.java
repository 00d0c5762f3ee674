package dev.genaiplatform.orchestrator.agent;

import dev.genaiplatform.contracts.tools.DecideToolApprovalCommand;
import dev.genaiplatform.contracts.tools.InvokeToolCommand;
import dev.genaiplatform.contracts.tools.ToolApprovalDecidedEvent;
import dev.genaiplatform.contracts.tools.ToolCallStatusQuery;
import dev.genaiplatform.contracts.tools.ToolCallStatusReport;
import dev.genaiplatform.contracts.tools.ToolInvokedReply;
import dev.genaiplatform.orchestrator.messaging.KafkaRequestReply;
import tools.jackson.databind.json.JsonMapper;

/**
 * The three questions the loop asks tools-agent over Kafka, each with the token of the request it acts for in
 * {@code platform-auth}: run this tool, what became of this call, and (for a human) decide this approval.
 * Replies are read as plain JSON into the contract records, whatever type headers the sender added.
 */
class ToolCalls {

    private final KafkaRequestReply<InvokeToolCommand, byte[]> invoke;
    private final KafkaRequestReply<ToolCallStatusQuery, byte[]> status;
    private final KafkaRequestReply<DecideToolApprovalCommand, byte[]> decide;
    private final JsonMapper json;

    ToolCalls(KafkaRequestReply<InvokeToolCommand, byte[]> invoke, KafkaRequestReply<ToolCallStatusQuery, byte[]> status,
              KafkaRequestReply<DecideToolApprovalCommand, byte[]> decide, JsonMapper json) {
        this.invoke = invoke;
        this.status = status;
        this.decide = decide;
        this.json = json;
    }

    /** Throws {@code DependencyUnavailableException} when no reply came in time: then reconcile, never resend blindly. */
    ToolInvokedReply invoke(String token, String tenantId, InvokeToolCommand command) {
        byte[] reply = this.invoke.ask(token, tenantId, command.idempotencyKey(), command);
        return this.json.readValue(reply, ToolInvokedReply.class);
    }

    ToolCallStatusReport status(String token, String tenantId, String requestId, String idempotencyKey) {
        byte[] reply = this.status.ask(token, tenantId, requestId,
                new ToolCallStatusQuery(requestId, idempotencyKey));
        return this.json.readValue(reply, ToolCallStatusReport.class);
    }

    ToolApprovalDecidedEvent decide(String approverToken, String tenantId, DecideToolApprovalCommand command) {
        byte[] reply = this.decide.ask(approverToken, tenantId, command.requestId(), command);
        return this.json.readValue(reply, ToolApprovalDecidedEvent.class);
    }
}
