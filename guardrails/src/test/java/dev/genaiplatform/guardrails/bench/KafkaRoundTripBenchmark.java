package dev.genaiplatform.guardrails.bench;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.guardrails.messaging.SendToInputCheckListener;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One input check over Kafka at rest, as the platform pays it: a request/reply round trip through a real broker to
 * the whole service (Spring Kafka listener, token check, pipeline, reply, verdict event), one at a time, with a new
 * internal token per request (the gateway signs one per request) and the same question every time (the lead's
 * load). Wall time per round trip, measured by the asker, and split at each hand-over ({@link RoundTripStamps}).
 *
 * <p>Like the platform: every broker writes offset commits at once ({@code group.coordinator.append.linger.ms} 0,
 * as the launcher's, compose's and Kubernetes' brokers do; the embedded broker's default of 5 ms would make any
 * consumer that commits after a poll answer the next request late), and the asker is the orchestrator's
 * ({@code ReplyChannels.replyContainer}: a {@code ReplyingKafkaTemplate} whose reply container reads in a group of
 * its own from the end of the topic and never commits, ack mode MANUAL and nothing acknowledged). The floor is a
 * bare responder on the same kind of broker: a {@code KafkaConsumer} poll loop answering each command at once with
 * a {@code KafkaProducer} (the reply's bytes written once beforehand, the correlation header echoed).
 *
 * <p>Variants run each on an embedded broker of their own (plain text, no SASL or ACLs, unlike the launcher's),
 * all started side by side in this JVM; they take turns in blocks, so all meet the same moments of a noisy machine:
 * <pre>
 * guardrails/run-main.sh dev.genaiplatform.guardrails.bench.KafkaRoundTripBenchmark 10 200   # rounds, checks per variant and round
 * guardrails/run-main.sh dev.genaiplatform.guardrails.bench.KafkaRoundTripBenchmark 4 100 "as"  # only variants whose name starts so
 * </pre>
 */
public final class KafkaRoundTripBenchmark {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final List<ChatMessage> QUESTION = List.of(
            new ChatMessage("system", "Answer from the context below and cite the passages you use.", null),
            new ChatMessage("user", "How does retrieval rank passages?", null));

    /**
     * How a variant is set up: the service with property overrides (none: application.yml alone) and extra
     * configuration classes, or the bare responder ({@code overrides} null); the broker's commit linger; whether the
     * asker commits after each poll (Spring Kafka's default, BATCH), as this benchmark's asker did before wave 9.
     */
    record Setup(Map<String, Object> overrides, List<Class<?>> sources, int commitLingerMs, boolean askerCommits) {

        static Setup service(Map<String, Object> overrides, Class<?>... sources) {
            return new Setup(overrides, List.of(sources), 0, false);
        }
    }

    static Map<String, Setup> variants() {
        var variants = new LinkedHashMap<String, Setup>();
        variants.put("bare responder", new Setup(null, List.of(), 0, false));
        variants.put("as shipped", Setup.service(Map.of()));
        // wave 8's listener threads: the consumers on virtual threads, as Boot sets them with virtual threads on
        variants.put("virtual-thread listener", Setup.service(Map.of(), VirtualThreadListeners.class));
        // and wave 8's listener: the verdict event first, then the reply through @SendTo
        variants.put("wave 8 listener", Setup.service(Map.of(), VirtualThreadListeners.class,
                SendToInputCheckListener.Swap.class));
        // wave 8's benchmark: the embedded broker's 5 ms commit linger and an asker committing after each poll
        variants.put("wave 8 listener and bench setup", new Setup(Map.of(),
                List.of(VirtualThreadListeners.class, SendToInputCheckListener.Swap.class), 5, true));
        return variants;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String only = args.length > 2 ? args[2] : "";
        List<RoundTripVariant> started = new ArrayList<>();
        try {
            for (var variant : variants().entrySet()) {
                if (variant.getKey().startsWith(only)) {
                    started.add(RoundTripVariant.start(variant.getKey(), variant.getValue()));
                }
            }
            for (RoundTripVariant variant : started) {
                variant.block(300); // warm-up: JIT, fetch sessions, token cache, embeddings
                variant.clear();
            }
            System.out.printf("started, load %s%n", loadAverage());
            for (int round = 0; round < rounds; round++) {
                for (RoundTripVariant variant : round % 2 == 0 ? started : started.reversed()) {
                    variant.block(perRound);
                }
                System.out.printf("round %d done, load %s%n", round + 1, loadAverage());
            }
            System.out.printf("%-36s %7s %8s %8s %8s %8s%n", "variant", "checks", "p50 µs", "p90 µs", "p99 µs", "mean µs");
            for (RoundTripVariant variant : started) {
                long[] sorted = variant.micros().stream().mapToLong(Long::longValue).sorted().toArray();
                System.out.printf("%-36s %7d %8d %8d %8d %8d%n", variant.name(), sorted.length, at(sorted, 0.50),
                        at(sorted, 0.90), at(sorted, 0.99), (long) Arrays.stream(sorted).average().orElse(0));
            }
            System.out.println("\nwhere it goes, µs from the previous point reached, p50 / p90 (medians do not add up;"
                    + " VERDICT_SENT: from VERIFIED, off the chain):");
            for (RoundTripVariant variant : started) {
                System.out.println(variant.name());
                for (var point : RoundTripStamps.Point.values()) {
                    long[] sorted = variant.split().get(point).stream().mapToLong(Long::longValue).sorted().toArray();
                    if (sorted.length > 0) {
                        System.out.printf("  -> %-18s %7d / %7d%n", point, at(sorted, 0.50), at(sorted, 0.90));
                    }
                }
            }
        }
        finally {
            for (RoundTripVariant variant : started) {
                variant.stop();
            }
            System.exit(0);
        }
    }

    /** Puts the listener containers back on virtual threads (Boot's choice with virtual threads on, wave 8's). */
    @TestConfiguration(proxyBeanMethods = false)
    public static class VirtualThreadListeners {

        @Bean
        static BeanPostProcessor virtualThreadContainers() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (bean instanceof ConcurrentKafkaListenerContainerFactory<?, ?> factory) {
                        factory.setContainerCustomizer(container -> {
                            var virtual = new SimpleAsyncTaskExecutor(container.getListenerId() + "-");
                            virtual.setVirtualThreads(true);
                            container.getContainerProperties().setListenerTaskExecutor(virtual);
                        });
                    }
                    return bean;
                }
            };
        }
    }

    static long at(long[] sorted, double quantile) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))];
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        }
        catch (Exception unreadable) {
            return "?";
        }
    }
}
