package dev.genaiplatform.guardrails.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.guardrails.detection.GuardrailPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.stereotype.Component;

/**
 * Answers input checks. The asker's replying template sets the reply topic and correlation id; Spring Kafka
 * sends the returned verdict there. A record that cannot be read goes to the dead-letter topic (see
 * {@code GuardrailsConfiguration}), so it never blocks the partition.
 */
@Component
class InputCheckListener {

    private static final Logger log = LoggerFactory.getLogger(InputCheckListener.class);

    private final GuardrailPipeline pipeline;

    InputCheckListener(GuardrailPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @KafkaListener(topics = Topics.GUARDRAILS_CHECK_INPUT)
    @SendTo
    InputCheckedReply check(CheckInputCommand command,
                            @Header(name = PlatformHeaders.TENANT_ID, required = false) String tenantId) {
        long started = System.nanoTime();
        try (var tenant = mdc("tenantId", tenantId); var request = mdc("requestId", command.requestId())) {
            InputCheckedReply reply = pipeline.check(command);
            // ids, counts and timings only: message text and findings' content never reach the log
            log.info("Checked input: verdict={} messages={} findings={} tookMicros={}", reply.verdict(),
                    command.messages() == null ? 0 : command.messages().size(), reply.findings().size(),
                    (System.nanoTime() - started) / 1_000);
            return reply;
        }
    }

    /** Null when there is no value: try-with-resources skips null resources. */
    private static MDC.MDCCloseable mdc(String key, String value) {
        return value == null ? null : MDC.putCloseable(key, value);
    }
}
