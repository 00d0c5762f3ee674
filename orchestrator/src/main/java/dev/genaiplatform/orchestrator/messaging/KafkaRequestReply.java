package dev.genaiplatform.orchestrator.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;

/**
 * Asks another service a question over Kafka and waits for its answer: request/reply on top of two topics.
 *
 * <p>The {@link ReplyingKafkaTemplate} stamps each command with a correlation id and the reply topic; the
 * answering service's {@code @SendTo} listener copies the correlation id onto its reply, which is how the
 * waiting request finds its answer. Every orchestrator instance reads every reply (its own consumer group)
 * and ignores the ones it did not ask for.
 *
 * <p>The caller blocks on a virtual thread, so waiting costs no platform thread. A reply that does not
 * arrive within the timeout becomes a {@link DependencyUnavailableException}: the client gets a 503
 * instead of a hanging connection.
 *
 * @param <C> the command type
 * @param <R> the reply type
 */
public final class KafkaRequestReply<C, R> {

    private final ReplyingKafkaTemplate<String, C, R> template;
    private final String dependency;
    private final String requestTopic;
    private final Duration timeout;
    private final CommandTraceContext traceContext;

    /** The template's own observation, if enabled, carries the trace context. */
    public KafkaRequestReply(ReplyingKafkaTemplate<String, C, R> template, String dependency, String requestTopic,
                             Duration timeout) {
        this(template, dependency, requestTopic, timeout, null);
    }

    /**
     * @param traceContext writes the caller's trace context onto each command; for a template whose observation is off
     *                     (see {@link ReplyChannels#replyingTemplate}); null: the template's observation does it
     */
    public KafkaRequestReply(ReplyingKafkaTemplate<String, C, R> template, String dependency, String requestTopic,
                             Duration timeout, CommandTraceContext traceContext) {
        this.template = template;
        this.dependency = dependency;
        this.requestTopic = requestTopic;
        this.timeout = timeout;
        this.traceContext = traceContext;
    }

    /**
     * Sends the command and waits for the reply.
     *
     * @param token     the caller's internal token, copied into {@link PlatformHeaders#AUTHORIZATION}: the
     *                  answering service verifies it and takes the tenant from it
     * @param tenantId  copied into {@link PlatformHeaders#TENANT_ID}, for logs only (never trusted)
     * @param requestId copied into {@link PlatformHeaders#REQUEST_ID}; also the record key, which spreads
     *                  requests over partitions
     */
    public R ask(String token, String tenantId, String requestId, C command) {
        ProducerRecord<String, C> record = new ProducerRecord<>(this.requestTopic, requestId, command);
        record.headers()
                .add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8))
                .add(PlatformHeaders.TENANT_ID, tenantId.getBytes(StandardCharsets.UTF_8))
                .add(PlatformHeaders.REQUEST_ID, requestId.getBytes(StandardCharsets.UTF_8));
        if (this.traceContext != null) {
            this.traceContext.writeTo(record.headers());
        }
        ConsumerRecord<String, R> reply;
        try {
            // The template completes the future with KafkaReplyTimeoutException once the timeout passes.
            reply = this.template.sendAndReceive(record, this.timeout).get();
        }
        catch (ExecutionException ex) {
            throw unavailable("did not answer within " + this.timeout.toMillis() + " ms", ex.getCause());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw unavailable("request was interrupted", ex);
        }
        catch (RuntimeException ex) {
            // e.g. the producer could not reach the broker within max.block.ms
            throw unavailable("could not be reached", ex);
        }
        if (reply.value() == null) {
            throw unavailable("sent an empty reply", null);
        }
        return reply.value();
    }

    private DependencyUnavailableException unavailable(String what, Throwable cause) {
        return new DependencyUnavailableException(this.dependency, this.dependency + " " + what, cause);
    }
}
