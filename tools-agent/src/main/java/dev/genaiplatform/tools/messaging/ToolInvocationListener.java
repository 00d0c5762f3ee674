package dev.genaiplatform.tools.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.tools.InvokeToolCommand;
import dev.genaiplatform.contracts.tools.ToolInvokedReply;
import dev.genaiplatform.tools.invocation.ToolInvoker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.stereotype.Component;

/**
 * Answers tool invocations. The asker's replying template sets the reply topic and correlation id; Spring
 * Kafka sends the returned reply there. Every outcome, failures included, is a reply: only a record that
 * cannot be read at all goes to the dead-letter topic (see {@code ToolsAgentConfiguration}).
 */
@Component
class ToolInvocationListener {

    private static final Logger log = LoggerFactory.getLogger(ToolInvocationListener.class);

    private final ToolInvoker invoker;

    ToolInvocationListener(ToolInvoker invoker) {
        this.invoker = invoker;
    }

    @KafkaListener(topics = Topics.TOOLS_INVOKE)
    @SendTo
    ToolInvokedReply invoke(InvokeToolCommand command,
                            @Header(name = PlatformHeaders.TENANT_ID, required = false) String tenantId) {
        try (var tenant = mdc("tenantId", tenantId); var request = mdc("requestId", command.requestId())) {
            ToolInvokedReply reply = invoker.invoke(command);
            // names, statuses and timings only: arguments and results may hold user data
            log.info("Invoked tool: tool={} status={} tookMillis={}", reply.toolName(), reply.status(), reply.tookMillis());
            return reply;
        }
    }

    /** Null when there is no value: try-with-resources skips null resources. */
    private static MDC.MDCCloseable mdc(String key, String value) {
        return value == null ? null : MDC.putCloseable(key, value);
    }
}
