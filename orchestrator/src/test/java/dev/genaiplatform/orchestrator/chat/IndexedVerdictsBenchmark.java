package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.orchestrator.guardrails.OutputGuard;
import dev.genaiplatform.orchestrator.retrieval.RetrievalClient;
import dev.genaiplatform.orchestrator.security.Caller;
import dev.genaiplatform.orchestrator.support.TestRedis;
import dev.genaiplatform.orchestrator.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Not a test (no assertions on time): the retrieval stage of a chat request (the search round trip, then the
 * passages' screening), before wave 11 (every passage sent to guardrails: stored verdicts ignored) and after (passages
 * judged at indexing under the tenant's current policy are not sent; here two of three, so one round trip with one
 * text remains, and with all judged none), alternating in one JVM against the stand-ins of {@link ChatCompletionFlowIT}
 * on an embedded broker. The stand-ins' own work is negligible, so this is the orchestrator's and the broker's share;
 * guardrails' share (a token verification, the judgement or its remembered verdict, a verdict event per passage that
 * evaluation then stores) comes on top of "before" only. Run:
 * {@code ./mvnw -B -q -pl orchestrator -am verify -Dit.test=IndexedVerdictsBenchmark -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "management.server.port=0", "logging.level.dev.genaiplatform=WARN"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers", topics = {
        Topics.GUARDRAILS_CHECK_INPUT, Topics.GUARDRAILS_INPUT_CHECKED, Topics.GUARDRAILS_CHECK_OUTPUT,
        Topics.GUARDRAILS_OUTPUT_CHECKED, Topics.RETRIEVAL_SEARCH, Topics.RETRIEVAL_SEARCH_RESULT,
        Topics.CHAT_COMPLETION_RECORDED})
@Import(ChatCompletionFlowIT.FakePlatformServices.class)
class IndexedVerdictsBenchmark {

    private static final int ROUNDS = 400;
    private static final String CURRENT = ChatCompletionFlowIT.FakePlatformServices.CURRENT_POLICY;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("platform.security.jwk-set-uri", TestTokens::jwksUri);
        registry.add("spring.data.redis.port", TestRedis::port);
    }

    @Test
    void measure(@Autowired OutputGuard guard, @Autowired RetrievalClient retrieval,
                 @Autowired KafkaListenerEndpointRegistry listeners) {
        listeners.getListenerContainers().forEach(container -> ContainerTestUtils.waitForAssignment(container, 3));
        Caller caller = new Caller("bench", "key", Set.of("chat"), Set.of(), "r", null, List.of(),
                Instant.now().plusSeconds(600), TestTokens.chat("bench"));
        String question = "indexed: how does retrieval rank passages?";
        // the stand-in's three passages: two judged at indexing, one without a verdict
        Runnable before = () -> guard.screen(caller, "r", retrieval.search(caller, "r", question, List.of(), null, null), null);
        Runnable after = () -> guard.screen(caller, "r", retrieval.search(caller, "r", question, List.of(), null, null), CURRENT);
        Runnable allJudged = () -> guard.screen(caller, "r", retrieval.search(caller, "r", question, List.of(), null, null)
                .stream().filter(chunk -> chunk.verdict() != null).toList(), CURRENT);
        Runnable searchOnly = () -> retrieval.search(caller, "r", question, List.of(), null, null);
        List<Runnable> ways = List.of(before, after, allJudged, searchOnly);
        for (int i = 0; i < 200; i++) {
            ways.forEach(Runnable::run);
        }
        long[][] nanos = new long[ways.size()][ROUNDS];
        long[] cpu = new long[ways.size()];
        for (int i = 0; i < ROUNDS; i++) {
            // each round starts with the next way, so no way always follows the same one (a reply consumer's poll
            // rhythm otherwise favours a position)
            for (int k = 0; k < ways.size(); k++) {
                int way = (i + k) % ways.size();
                long cpuStart = processCpu();
                long start = System.nanoTime();
                ways.get(way).run();
                nanos[way][i] = System.nanoTime() - start;
                cpu[way] += processCpu() - cpuStart;
            }
        }
        System.out.printf(Locale.ROOT, "%nRetrieval stage (search + screening), %d rounds each way, alternating, load %.1f%n",
                ROUNDS, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        report("before: stored verdicts ignored (3 texts, 1 round trip)", nanos[0], cpu[0]);
        report("after: 2 of 3 judged at indexing (1 text, 1 round trip)", nanos[1], cpu[1]);
        report("after: all judged at indexing (no round trip)", nanos[2], cpu[2]);
        report("floor: the search alone", nanos[3], cpu[3]);
        List<RetrievedChunk> sample = retrieval.search(caller, "r", question, List.of(), null, null);
        System.out.printf(Locale.ROOT, "  (%d passages, %d with a stored verdict)%n", sample.size(),
                sample.stream().filter(chunk -> chunk.verdict() != null).count());
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void report(String what, long[] nanos, long cpuNanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "  %-58s p50 %6.2f ms  p90 %6.2f ms  CPU of this JVM (orchestrator, broker, "
                        + "stand-ins) %5.2f ms per request%n", what, sorted[sorted.length / 2] / 1e6,
                sorted[sorted.length * 9 / 10] / 1e6, cpuNanos / 1e6 / nanos.length);
    }
}
