package dev.genaiplatform.orchestrator.messaging;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.requestreply.CorrelationKey;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The reply side of request/reply: how reply consumers are set up, and a startup step that waits until
 * they are listening.
 *
 * <p>Each instance reads replies in a consumer group of its own, so it sees every reply on the topic,
 * whichever instance asked; the template matches replies to waiting requests by correlation id and drops
 * the rest. Reply consumers start at the end of the topic: old replies belong to requests nobody waits
 * for any more. That is why startup waits for the partition assignment: a request sent before it could
 * get its reply skipped.
 */
public final class ReplyChannels implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ReplyChannels.class);
    private static final Duration ASSIGNMENT_TIMEOUT = Duration.ofSeconds(30);

    private final List<ReplyingKafkaTemplate<?, ?, ?>> templates;

    public ReplyChannels(List<ReplyingKafkaTemplate<?, ?, ?>> templates) {
        this.templates = templates;
    }

    /**
     * A template that sends commands and listens on {@code replyTopic}. The request timeout is given per call (see
     * {@link KafkaRequestReply}).
     *
     * <p>{@code observeSends}: Spring Kafka's observation per command sent (a producer span and a timer), which also
     * writes {@code traceparent}. Off for the chat flow's templates unless
     * {@code platform.orchestrator.messaging.command-spans} is on: {@link CommandTraceContext} writes the caller's
     * context instead, for a fraction of the cost (README, Benchmark, "Wave 9").
     *
     * <p>The received replies are never observed: a reply continues no trace (the waiting request already has its
     * span), and every instance reads every reply, so each would record spans for replies it then drops. Measured in
     * {@code PassageScreeningBenchmark}.
     */
    public static <C, R> ReplyingKafkaTemplate<String, C, R> replyingTemplate(
            ProducerFactory<String, C> producerFactory,
            ConcurrentKafkaListenerContainerFactory<String, R> containerFactory, String replyTopic,
            boolean observeSends) {
        return replyingTemplate(producerFactory, containerFactory, replyTopic, observeSends, false);
    }

    /** As above; {@code observeReplies} gives every received reply a consumer observation, for a benchmark only. */
    public static <C, R> ReplyingKafkaTemplate<String, C, R> replyingTemplate(
            ProducerFactory<String, C> producerFactory,
            ConcurrentKafkaListenerContainerFactory<String, R> containerFactory, String replyTopic,
            boolean observeSends, boolean observeReplies) {
        ReplyingKafkaTemplate<String, C, R> template = new ReplyingKafkaTemplate<>(producerFactory,
                replyContainer(containerFactory, replyTopic, observeReplies, false));
        template.setSharedReplyTopic(true);   // replies for other instances are expected: do not warn
        template.setCorrelationIdStrategy(record -> randomCorrelation());
        template.setObservationEnabled(observeSends);
        return template;
    }

    /**
     * 128 random bits from {@link ThreadLocalRandom}, where the template's default is {@code UUID.randomUUID()}, which
     * draws from {@code SecureRandom} on every command. The id only pairs a reply with its request; whoever could
     * forge a reply could write to the reply topic and read the commands' ids anyway, so unpredictability buys
     * nothing here, and uniqueness is the same 2^128 space.
     */
    static CorrelationKey randomCorrelation() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new CorrelationKey(ByteBuffer.allocate(16).putLong(random.nextLong()).putLong(random.nextLong()).array());
    }

    /**
     * The reply consumer of a template. {@code commitOffsets} restores the earlier behaviour (a commit after every
     * poll that brought replies), for {@code PassageScreeningBenchmark}'s side-by-side measurement only.
     */
    public static <R> ConcurrentMessageListenerContainer<String, R> replyContainer(
            ConcurrentKafkaListenerContainerFactory<String, R> containerFactory, String replyTopic,
            boolean observeReplies, boolean commitOffsets) {
        ConcurrentMessageListenerContainer<String, R> replies = containerFactory.createContainer(replyTopic);
        replies.getContainerProperties().setObservationEnabled(observeReplies);
        replies.getContainerProperties().setGroupId("orchestrator-replies-" + UUID.randomUUID());
        Properties consumer = new Properties();
        consumer.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumer.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        replies.getContainerProperties().setKafkaConsumerProperties(consumer);
        // No offset commits at all (issue 13: the broker's CPU scales with commits). The group is this process's
        // own and starts at the end of the topic, so a committed offset would never be read: after a restart the
        // callers of the old process have given up. MANUAL with a listener that never acknowledges commits nothing;
        // before, the default BATCH mode committed after every poll that brought a reply, about one per reply.
        if (!commitOffsets) {
            replies.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL);
        }
        else {
            consumer.remove(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
            replies.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
        }
        replies.setAutoStartup(false);   // the template starts and stops its container
        return replies;
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        long deadline = System.nanoTime() + ASSIGNMENT_TIMEOUT.toNanos();
        for (ReplyingKafkaTemplate<?, ?, ?> template : this.templates) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (!template.waitForAssignment(left)) {
                log.warn("A reply consumer got no partitions within {} s; is Kafka up? Requests time out (503) until it does.",
                        ASSIGNMENT_TIMEOUT.toSeconds());
                return;
            }
        }
    }
}
