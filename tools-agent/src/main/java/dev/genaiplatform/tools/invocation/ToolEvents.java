package dev.genaiplatform.tools.invocation;

import dev.genaiplatform.contracts.tools.ToolApprovalDecidedEvent;
import dev.genaiplatform.contracts.tools.ToolApprovalRequestedEvent;
import dev.genaiplatform.contracts.tools.ToolCalledEvent;
import dev.genaiplatform.tools.security.Caller;

/** Where the service tells the world what happened to a call (Kafka in production; see the messaging package). */
public interface ToolEvents {

    void toolCalled(ToolCalledEvent event, Caller caller);

    void approvalRequested(ToolApprovalRequestedEvent event, Caller caller);

    void approvalDecided(ToolApprovalDecidedEvent event, Caller caller);
}
