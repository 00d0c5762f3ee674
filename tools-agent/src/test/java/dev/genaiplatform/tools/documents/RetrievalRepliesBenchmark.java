package dev.genaiplatform.tools.documents;

import ch.qos.logback.classic.Level;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.contracts.retrieval.SearchCommand;
import dev.genaiplatform.contracts.retrieval.SearchResultReply;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Not a test: what the replies to other askers cost this service (README "Wave 7"). One embedded broker, and in this
 * JVM two retrieval clients reading the same {@code retrieval.search-result.v1}: {@code before}, built as the bean was
 * (a fixed group, every body parsed, an ERROR line per foreign reply, a commit per poll, a reply observation), and
 * {@code after}, {@link RetrievalClient}. A producer publishes orchestrator-like replies (five passages, a correlation
 * id of another process) at a steady rate; the CPU of each client's consumer and heartbeat threads is read from
 * {@link ThreadMXBean} over each measured block. Arguments: replies per second (23, the lead's platform rate),
 * seconds per block (20), blocks (4, after one of warm-up). Pipe stdout to a file: {@code before} logs a line per reply.
 */
public final class RetrievalRepliesBenchmark {

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 23;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int blocks = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, Topics.RETRIEVAL_SEARCH_RESULT, Topics.RETRIEVAL_SEARCH);
        broker.afterPropertiesSet();
        try {
            Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                    ProducerConfig.LINGER_MS_CONFIG, 0);
            ProducerFactory<String, SearchCommand> commands = new DefaultKafkaProducerFactory<>(producerConfig,
                    new StringSerializer(), new JacksonJsonSerializer<>());
            Map<String, Object> consumerConfig = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
            ReplyingKafkaTemplate<String, SearchCommand, SearchResultReply> before = asTheBeanWas(commands, consumerConfig);
            ReplyingKafkaTemplate<String, SearchCommand, SearchResultReply> after = RetrievalClient.create(commands, consumerConfig);
            before.start();
            after.start();
            before.waitForAssignment(Duration.ofSeconds(30));
            after.waitForAssignment(Duration.ofSeconds(30));

            KafkaTemplate<String, SearchResultReply> retrieval = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
                    producerConfig, new StringSerializer(), new JacksonJsonSerializer<>()));
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            System.err.printf(Locale.ROOT, "%d foreign replies/s, %d s per block, %d blocks after one of warm-up; load %s%n",
                    rate, seconds, blocks, loadAverage());
            for (int block = 0; block <= blocks; block++) {
                Map<String, Long> start = cpu(threads);
                int sent = publish(retrieval, rate, seconds);
                Thread.sleep(1_000);   // the last replies of the block are read
                Map<String, Long> end = cpu(threads);
                if (block == 0) {
                    continue;
                }
                double beforeUs = (end.get("before") - start.get("before")) / 1_000.0 / sent;
                double afterUs = (end.get("after") - start.get("after")) / 1_000.0 / sent;
                System.err.printf(Locale.ROOT, "block %d: %d replies; CPU per foreign reply: before %.0f µs, after %.0f µs"
                        + " (%.0f %% less); load %s%n", block, sent, beforeUs, afterUs, 100 * (1 - afterUs / beforeUs),
                        loadAverage());
            }
            before.stop();
            after.stop();
        } finally {
            broker.destroy();
        }
    }

    /** The retrieval client as {@code ToolsAgentConfiguration} built it before wave 7. */
    private static ReplyingKafkaTemplate<String, SearchCommand, SearchResultReply> asTheBeanWas(
            ProducerFactory<String, SearchCommand> producers, Map<String, Object> consumerConfig) {
        Map<String, Object> config = new LinkedHashMap<>(consumerConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "before-tools-agent-retrieval-replies");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        var consumers = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
                new JacksonJsonDeserializer<>(SearchResultReply.class).ignoreTypeHeaders());
        var replies = new ConcurrentMessageListenerContainer<>(consumers, new ContainerProperties(Topics.RETRIEVAL_SEARCH_RESULT));
        replies.setBeanName("before");
        return new ReplyingKafkaTemplate<>(producers, replies);
    }

    /** Publishes {@code rate} replies a second for {@code seconds}, evenly spaced; returns how many. */
    private static int publish(KafkaTemplate<String, SearchResultReply> retrieval, int rate, int seconds) throws Exception {
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        int count = rate * seconds;
        for (int i = 0; i < count; i++) {
            ProducerRecord<String, SearchResultReply> record = new ProducerRecord<>(Topics.RETRIEVAL_SEARCH_RESULT,
                    "demo", reply());
            byte[] correlation = new byte[16];
            ThreadLocalRandom.current().nextBytes(correlation);
            record.headers().add(KafkaHeaders.CORRELATION_ID, correlation);
            retrieval.send(record);
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        retrieval.flush();
        return count;
    }

    /** What retrieval answers the orchestrator for a grounded question: five passages of a few hundred characters. */
    private static SearchResultReply reply() {
        List<RetrievedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            chunks.add(new RetrievedChunk("chunk-" + i, "demo/docs/architecture.md", "Architecture > Gateway", i * 500,
                    i * 500 + 480, ("The gateway limits request rates per tenant with a token bucket kept in Redis. "
                    + UUID.randomUUID() + " ").repeat(5), 0.9 - i * 0.1));
        }
        return new SearchResultReply(UUID.randomUUID().toString(), chunks, 12);
    }

    /** CPU nanoseconds of the live threads of each client: its consumer thread(s) and its group's heartbeat thread. */
    private static Map<String, Long> cpu(ThreadMXBean threads) {
        Map<String, Long> total = new HashMap<>(Map.of("before", 0L, "after", 0L));
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            String name = info.getThreadName();
            String client = name.contains("before") ? "before" : name.contains("tools-agent-retrieval-replies") ? "after" : null;
            long nanos = client == null ? -1 : threads.getThreadCpuTime(info.getThreadId());
            if (nanos > 0) {
                total.merge(client, nanos, Long::sum);
            }
        }
        return total;
    }

    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private RetrievalRepliesBenchmark() {
    }
}
