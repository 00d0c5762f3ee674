package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.CheckOutputCommand;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.orchestrator.guardrails.OutputGuard;
import dev.genaiplatform.orchestrator.messaging.KafkaRequestReply;
import dev.genaiplatform.orchestrator.messaging.ReplyChannels;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ProducerFactory;
import dev.genaiplatform.orchestrator.security.Caller;
import dev.genaiplatform.orchestrator.support.TestRedis;
import dev.genaiplatform.orchestrator.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Not a test (no assertions on time): five retrieved passages screened the old way (one Kafka round trip per
 * passage, all five concurrently on virtual threads) and the new way (one command with five texts,
 * {@link OutputGuard#screen}), alternating in one JVM against the same guardrails stand-in on an embedded broker.
 * The stand-in's own work is negligible, so this is the orchestrator's and the broker's share only; guardrails'
 * saving (one token verification, one verdict event instead of five) is guardrails' to measure. Run:
 * {@code ./mvnw -B -q -pl orchestrator -am verify -Dit.test=PassageScreeningBenchmark -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "management.server.port=0", "logging.level.dev.genaiplatform=WARN"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers", topics = {
        Topics.GUARDRAILS_CHECK_INPUT, Topics.GUARDRAILS_INPUT_CHECKED, Topics.GUARDRAILS_CHECK_OUTPUT,
        Topics.GUARDRAILS_OUTPUT_CHECKED, Topics.RETRIEVAL_SEARCH, Topics.RETRIEVAL_SEARCH_RESULT,
        Topics.CHAT_COMPLETION_RECORDED})
@Import(ChatCompletionFlowIT.FakePlatformServices.class)
class PassageScreeningBenchmark {

    private static final int ROUNDS = 400;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("platform.security.jwk-set-uri", TestTokens::jwksUri);
        registry.add("spring.data.redis.port", TestRedis::port);
    }

    @Test
    void measure(@Autowired OutputGuard guard, @Autowired KafkaListenerEndpointRegistry listeners,
                 @Autowired ReplyingKafkaTemplate<String, CheckOutputCommand, OutputCheckedReply> template,
                 @Autowired ProducerFactory<String, CheckOutputCommand> producers,
                 @Autowired ConcurrentKafkaListenerContainerFactory<String, OutputCheckedReply> containers,
                 @Autowired KafkaProperties kafka) throws InterruptedException {
        listeners.getListenerContainers().forEach(container -> ContainerTestUtils.waitForAssignment(container, 3));
        // as before the cut: every reply received gets a consumer observation (span + timer)
        ReplyingKafkaTemplate<String, CheckOutputCommand, OutputCheckedReply> observedReplies =
                ReplyChannels.replyingTemplate(producers, containers, Topics.GUARDRAILS_OUTPUT_CHECKED, false, true);
        observedReplies.start();
        observedReplies.waitForAssignment(Duration.ofSeconds(30));
        KafkaRequestReply<CheckOutputCommand, OutputCheckedReply> askObserved = new KafkaRequestReply<>(
                observedReplies, "guardrails", Topics.GUARDRAILS_CHECK_OUTPUT, Duration.ofSeconds(5));
        KafkaRequestReply<CheckOutputCommand, OutputCheckedReply> perPassage = new KafkaRequestReply<>(template,
                "guardrails", Topics.GUARDRAILS_CHECK_OUTPUT, Duration.ofSeconds(5));
        Caller caller = new Caller("bench", "key", Set.of("chat"), Set.of(), "r", null, List.of(),
                Instant.now().plusSeconds(600), TestTokens.chat("bench"));
        List<RetrievedChunk> passages = IntStream.range(0, 5).mapToObj(i -> new RetrievedChunk("doc.md#" + i,
                "doc.md", "Doc", i * 800, i * 800 + 780, ("Passage " + i + " about how retrieval fuses rankings. ")
                .repeat(20), 0.03 - i * 0.001)).toList();
        Runnable before = () -> {
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<OutputCheckedReply>> replies = passages.stream().map(chunk -> threads.submit(() ->
                        perPassage.ask(caller.token(), caller.tenantId(), "r", new CheckOutputCommand("r",
                                CheckOutputCommand.SOURCE_RETRIEVED_CHUNK, chunk.text(), 0, null, null, List.of(),
                                null, null)))).toList();
                for (Future<OutputCheckedReply> reply : replies) {
                    reply.get();
                }
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        };
        Runnable after = () -> guard.screen(caller, "r", passages);
        CheckOutputCommand oneText = new CheckOutputCommand("r", CheckOutputCommand.SOURCE_ANSWER,
                "An answer window of about sixty-four characters, checked once.", 0, null, null, List.of(), null, null);
        Runnable oneObserved = () -> askObserved.ask(caller.token(), caller.tenantId(), "r", oneText);
        Runnable oneUnobserved = () -> perPassage.ask(caller.token(), caller.tenantId(), "r", oneText);
        // wave 5: the reply consumer's offset commits, as before (a commit per poll with replies) and now (none)
        org.springframework.kafka.listener.ConcurrentMessageListenerContainer<String, OutputCheckedReply> committing =
                ReplyChannels.replyContainer(containers, Topics.GUARDRAILS_OUTPUT_CHECKED, false, true);
        org.springframework.kafka.listener.ConcurrentMessageListenerContainer<String, OutputCheckedReply> silent =
                ReplyChannels.replyContainer(containers, Topics.GUARDRAILS_OUTPUT_CHECKED, false, false);
        ReplyingKafkaTemplate<String, CheckOutputCommand, OutputCheckedReply> committingReplies =
                new ReplyingKafkaTemplate<>(producers, committing);
        ReplyingKafkaTemplate<String, CheckOutputCommand, OutputCheckedReply> silentReplies =
                new ReplyingKafkaTemplate<>(producers, silent);
        committingReplies.setSharedReplyTopic(true);
        silentReplies.setSharedReplyTopic(true);
        committingReplies.start();
        silentReplies.start();
        committingReplies.waitForAssignment(Duration.ofSeconds(30));
        silentReplies.waitForAssignment(Duration.ofSeconds(30));
        KafkaRequestReply<CheckOutputCommand, OutputCheckedReply> askCommitting = new KafkaRequestReply<>(
                committingReplies, "guardrails", Topics.GUARDRAILS_CHECK_OUTPUT, Duration.ofSeconds(5));
        KafkaRequestReply<CheckOutputCommand, OutputCheckedReply> askSilent = new KafkaRequestReply<>(
                silentReplies, "guardrails", Topics.GUARDRAILS_CHECK_OUTPUT, Duration.ofSeconds(5));
        Runnable oneCommitting = () -> askCommitting.ask(caller.token(), caller.tenantId(), "r", oneText);
        Runnable oneSilent = () -> askSilent.ask(caller.token(), caller.tenantId(), "r", oneText);
        List<Runnable> ways = List.of(before, after, oneObserved, oneUnobserved, oneCommitting, oneSilent);
        for (int i = 0; i < 200; i++) {
            ways.forEach(Runnable::run);
        }
        long[][] nanos = new long[ways.size()][ROUNDS];
        long[] cpu = new long[ways.size()];
        for (int i = 0; i < ROUNDS; i++) {
            for (int way = 0; way < ways.size(); way++) {
                long cpuStart = processCpu();
                long start = System.nanoTime();
                ways.get(way).run();
                nanos[way][i] = System.nanoTime() - start;
                cpu[way] += processCpu() - cpuStart;
            }
        }
        System.out.printf(Locale.ROOT, "%nScreening 5 passages, %d rounds each way, alternating%n", ROUNDS);
        report("before: 5 commands, 5 replies (concurrent)", nanos[0], cpu[0]);
        report("after: 1 command with 5 texts, 1 reply", nanos[1], cpu[1]);
        System.out.printf(Locale.ROOT, "One round trip (one text), reply consumer observed or not, alternating%n");
        report("before: reply observed (span + timer)", nanos[2], cpu[2]);
        report("after: reply not observed", nanos[3], cpu[3]);
        System.out.printf(Locale.ROOT, "One round trip, reply consumer committing offsets or not, alternating "
                + "(every consumer of the reply topic reads every reply)%n");
        report("before: commit after each poll with replies", nanos[4], cpu[4]);
        report("after: no commits (wave 5)", nanos[5], cpu[5]);
        // each round brings 10 replies (5 + 1 + 4 x 1), and every reply consumer reads every reply
        System.out.printf(Locale.ROOT, "  offset commits by the reply consumer: committing %.0f, silent %.0f (for the "
                + "same %d replies, warm-up included)%n", commits(committing), commits(silent), (200 + ROUNDS) * 10);
        committingReplies.stop();
        silentReplies.stop();
        observedReplies.stop();
    }

    /** The consumer's own count of offset commits it sent (Kafka's {@code commit-total} metric). */
    private static double commits(
            org.springframework.kafka.listener.ConcurrentMessageListenerContainer<String, OutputCheckedReply> container) {
        return container.metrics().values().stream().flatMap(metrics -> metrics.entrySet().stream())
                .filter(e -> e.getKey().name().equals("commit-total")
                        && e.getKey().group().equals("consumer-coordinator-metrics"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void report(String what, long[] nanos, long cpuNanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "  %-50s p50 %6.2f ms  p99 %6.2f ms  CPU of this JVM (orchestrator, broker, "
                        + "stand-in) %5.2f ms per screening%n", what, sorted[sorted.length / 2] / 1e6,
                sorted[sorted.length * 99 / 100] / 1e6, cpuNanos / 1e6 / nanos.length);
    }
}
