package dev.genaiplatform.guardrails.verdict;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.GuardrailVerdictRecordedEvent;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.guardrails.detection.GuardrailPipeline;
import dev.genaiplatform.guardrails.policy.OwaspCategory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Publishes every verdict on {@code guardrails.verdict-recorded.v1}: reasons, positions and scores, never the
 * checked text. Fire and forget: a broker hiccup must not fail the check it reports on (it is logged).
 */
@Component
public class VerdictPublisher {

    private static final Logger log = LoggerFactory.getLogger(VerdictPublisher.class);

    private final KafkaTemplate<Object, Object> template;

    public VerdictPublisher(KafkaTemplate<Object, Object> template) {
        this.template = template;
    }

    public void publish(GuardrailPipeline.Outcome outcome, String tenantId, String stage, String token) {
        var reply = outcome.reply();
        send(new GuardrailVerdictRecordedEvent(UUID.randomUUID().toString(), Instant.now(), reply.requestId(),
                tenantId, stage, outcome.policy(), reply.verdict(), reply.injectionScore(), reply.findings(),
                outcome.owaspCategories(), reply.reason(), outcome.tookMicros()), tenantId, token);
    }

    /** The verdict of an output check ({@code stage} = the source: answer, retrieved-chunk, tool-result). */
    public void publishOutput(OutputCheckedReply reply, String policy, String tenantId, String token, long tookMicros) {
        List<String> owasp = reply.findings().stream().map(finding -> OwaspCategory.of(finding.category()))
                .distinct().sorted().toList();
        send(new GuardrailVerdictRecordedEvent(UUID.randomUUID().toString(), Instant.now(), reply.requestId(),
                tenantId, reply.source(), policy, reply.verdict(), reply.injectionScore(), reply.findings(), owasp,
                reply.reason(), tookMicros), tenantId, token);
    }

    private void send(GuardrailVerdictRecordedEvent event, String tenantId, String token) {
        var record = new ProducerRecord<Object, Object>(Topics.GUARDRAILS_VERDICT_RECORDED, event.requestId(), event);
        record.headers().add(PlatformHeaders.TENANT_ID, tenantId.getBytes(StandardCharsets.UTF_8));
        if (token != null) {
            record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
        }
        template.send(record).whenComplete((sent, failure) -> {
            if (failure != null) {
                log.warn("Could not publish the verdict event of request {}: {}", event.requestId(), failure.toString());
            }
        });
    }
}
