package dev.genaiplatform.orchestrator.provider;

import dev.genaiplatform.orchestrator.OrchestratorProperties;
import dev.genaiplatform.orchestrator.chat.FakeOpenAiServer;
import dev.genaiplatform.orchestrator.resilience.ResilienceSettings;
import io.micrometer.observation.ObservationRegistry;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test of speed (no assertion on time): the OpenAI provider's model call with Spring AI's transport (an OkHttp
 * client built per call, as before) against {@link ProviderHttpClient} (one client per provider), side by side in one
 * JVM, alternating blocks of calls, against the fake model server on loopback (the same for both: its CPU is in both
 * columns). CPU is the whole JVM's process CPU time per call. Run on demand:
 * {@code ./mvnw -B -q -pl orchestrator -am verify -Dit.test=HttpClientReuseBenchmark -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}; {@code -DhttpReuse.jfr=/tmp/x.jfr} also records a JFR profile.
 */
class HttpClientReuseBenchmark {

    private static final int BLOCKS = Integer.getInteger("httpReuse.blocks", 40);
    private static final int PER_BLOCK = 50;
    private static final String SYSTEM = "Answer only from the context passages and cite them as [1], [2].\n\n"
            + "[1] (source: architecture.md > Architecture > Retrieval)\n"
            + "Retrieval fuses BM25 and vector rankings with reciprocal rank fusion. ".repeat(6) + "\n\n"
            + "[2] (source: rag.md > RAG > Chunking)\nChunks keep the heading path of their section. ".repeat(6);
    private static final ModelRequest PLAIN = new ModelRequest(null, null, null, null, null, null, null, null, null,
            null, null);

    @Test
    void measure() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            ResilienceSettings resilience = new ResilienceSettings(Duration.ofSeconds(2), Duration.ofSeconds(10),
                    Duration.ofSeconds(10), Duration.ofSeconds(60), 2, Duration.ofMillis(200), Duration.ofSeconds(2),
                    Duration.ofSeconds(3), 50, 20, 10, Duration.ofSeconds(10), 64);
            OrchestratorProperties.Provider settings = new OrchestratorProperties.Provider(
                    OrchestratorProperties.ProviderKind.OPENAI, server.baseUrl(), "simulator-key",
                    Duration.ofSeconds(60), 0);
            OpenAiChatProvider perCall = OpenAiChatProvider.create("before", settings, resilience,
                    ObservationRegistry.NOOP, false);
            OpenAiChatProvider reused = OpenAiChatProvider.create("after", settings, resilience,
                    ObservationRegistry.NOOP, true);
            List<Message> messages = List.of(new SystemMessage(SYSTEM), new UserMessage("How does retrieval rank passages?"));
            Way before = new Way("Spring AI's transport: an OkHttp client per call (before)", perCall, messages);
            Way after = new Way("ProviderHttpClient: one OkHttp client per provider (after)", reused, messages);

            for (int i = 0; i < 300; i++) {   // warm-up: JIT, connections
                before.call();
                after.call();
            }
            assertThat(after.call()).isEqualTo(before.call());   // the same answer either way
            String jfr = System.getProperty("httpReuse.jfr");
            Recording recording = null;
            if (jfr != null) {
                recording = new Recording(Configuration.getConfiguration("profile"));
                recording.start();
            }
            for (int block = 0; block < BLOCKS; block++) {
                Way first = block % 2 == 0 ? before : after;
                Way second = first == before ? after : before;
                first.block(block);
                second.block(block);
            }
            if (recording != null) {
                recording.dump(Path.of(jfr));
                recording.close();
            }
            System.out.printf(Locale.ROOT, "%nOpenAI provider call, %d blocks of %d streamed calls each way, "
                    + "alternating; load average %s%n", BLOCKS, PER_BLOCK, loadAverage());
            before.report();
            after.report();
        }
    }

    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static final class Way {

        private final String name;
        private final OpenAiChatProvider provider;
        private final List<Message> messages;
        private final long[] wallPerCall = new long[BLOCKS * PER_BLOCK];
        private final double[] cpuPerCall = new double[BLOCKS];

        Way(String name, OpenAiChatProvider provider, List<Message> messages) {
            this.name = name;
            this.provider = provider;
            this.messages = messages;
        }

        String call() {
            StringBuilder text = new StringBuilder();
            this.provider.prompt("sim-small", this.messages, PLAIN, true).stream().chatResponse()
                    .doOnNext(r -> {
                        if (r.getResult() != null && r.getResult().getOutput().getText() != null) {
                            text.append(r.getResult().getOutput().getText());
                        }
                    }).blockLast();
            return text.toString();
        }

        void block(int block) {
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu = os.getProcessCpuTime();
            for (int i = 0; i < PER_BLOCK; i++) {
                long start = System.nanoTime();
                call();
                this.wallPerCall[block * PER_BLOCK + i] = System.nanoTime() - start;
            }
            this.cpuPerCall[block] = (os.getProcessCpuTime() - cpu) / 1e6 / PER_BLOCK;
        }

        void report() {
            long[] wall = this.wallPerCall.clone();
            Arrays.sort(wall);
            double[] cpu = this.cpuPerCall.clone();
            Arrays.sort(cpu);
            System.out.printf(Locale.ROOT, "  %-60s wall p50 %5.2f ms p99 %6.2f ms | CPU per call: median of blocks "
                            + "%5.2f ms, mean %5.2f ms%n", this.name, wall[wall.length / 2] / 1e6,
                    wall[wall.length * 99 / 100] / 1e6, cpu[cpu.length / 2], Arrays.stream(cpu).average().orElse(0));
        }
    }
}
