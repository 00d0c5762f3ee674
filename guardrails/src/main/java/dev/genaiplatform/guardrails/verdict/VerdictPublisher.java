package dev.genaiplatform.guardrails.verdict;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.GuardrailVerdictRecordedEvent;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.guardrails.detection.GuardrailPipeline;
import dev.genaiplatform.guardrails.policy.OwaspCategory;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Publishes every verdict on {@code guardrails.verdict-recorded.v1}: reasons, positions and scores, never the
 * checked text. Fire and forget: a broker hiccup must not fail the check it reports on (it is logged).
 *
 * <p>The events go through a producer of their own that waits up to {@value #LINGER_MS} ms to fill a batch
 * ({@code linger.ms}), where the replies' producer sends at once (a reply's wait is the caller's latency). Nobody
 * waits for an audit event, and one request's events (its input check, one per retrieved passage, its answer
 * windows) and those of concurrent requests then share produce requests: fewer requests for the broker to
 * handle and for this process to make, and evaluation's consumer gets more events per fetch. Same events, same
 * keys, same headers, same trace context.
 */
@Component
public class VerdictPublisher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(VerdictPublisher.class);
    static final int LINGER_MS = 20;

    private final KafkaTemplate<Object, Object> template;

    public VerdictPublisher(ProducerFactory<Object, Object> producers, ObjectProvider<ObservationRegistry> observations) {
        this.template = new KafkaTemplate<>(producers, Map.of(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS));
        this.template.setObservationEnabled(true);
        this.template.setObservationRegistry(observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    @Override
    public void destroy() {
        template.destroy(); // closes the producer of its own (a copy of the factory with the override)
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
