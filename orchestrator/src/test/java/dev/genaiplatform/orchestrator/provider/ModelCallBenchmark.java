package dev.genaiplatform.orchestrator.provider;

import dev.genaiplatform.orchestrator.OrchestratorProperties;
import dev.genaiplatform.orchestrator.resilience.ResilientModelCalls;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Not a test (no assertions on time): where the model stage's time goes, measured against a running LLM simulator
 * with instant timing ({@code SIM_TIME_TO_FIRST_TOKEN_MS=0 SIM_INTER_TOKEN_MS=0}) on {@code SIM_URL} (default
 * {@code http://127.0.0.1:18090/v1}). Alternates, in one JVM, the same streamed call made three ways: straight to the
 * simulator with the JDK's HTTP client (the floor), through Spring AI's {@code ChatClient} and the OpenAI SDK, and
 * through the resilience layer on top. Run on demand:
 * {@code ./mvnw -B -q -pl orchestrator -am verify -Dit.test=ModelCallBenchmark -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}; with {@code -DmodelCall.jfr=/tmp/x.jfr} a JFR profile of the measured
 * loop is written too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "platform.orchestrator.providers.simulator.base-url=${SIM_URL:http://127.0.0.1:18090/v1}",
        "spring.kafka.listener.auto-startup=false", "management.server.port=0",
        // no broker needed; never the default port, where a running platform's consumers would see this JVM
        "spring.kafka.bootstrap-servers=127.0.0.1:1",
        "logging.level.dev.genaiplatform=WARN"})
class ModelCallBenchmark {

    private static final int ROUNDS = Integer.getInteger("modelCall.rounds", 600);
    private static final String BASE = System.getenv().getOrDefault("SIM_URL", "http://127.0.0.1:18090/v1");
    private static final String SYSTEM = "Answer only from the context passages and cite them as [1], [2].\n\n"
            + "[1] (source: architecture.md > Architecture > Retrieval)\n"
            + "Retrieval fuses BM25 and vector rankings with reciprocal rank fusion. ".repeat(6) + "\n\n"
            + "[2] (source: rag.md > RAG > Chunking)\nChunks keep the heading path of their section. ".repeat(6);
    private static final String QUESTION = "How does retrieval rank passages?";
    private static final ModelRequest PLAIN = new ModelRequest(null, null, null, null, null, null, null, null, null,
            null, null);

    @Test
    void measure(@Autowired ChatProviders providers, @Autowired ResilientModelCalls calls,
                 @Autowired OrchestratorProperties properties, @Autowired ObservationRegistry observations)
            throws Exception {
        // the application's provider: Spring AI's observations off (model-observations defaults to false)
        ChatProviders.ResolvedModel unobserved = providers.resolve("sim-small");
        // the same provider as before the cut, and as with model-observations=true: ChatClient, ChatModel and OkHttp
        // observations (spans, timers) on every call
        ChatProviders.ResolvedModel model = ChatProviders.create(properties, observations).resolve("sim-small");
        List<Message> messages = List.of(new SystemMessage(SYSTEM), new UserMessage(QUESTION));
        HttpClient http = HttpClient.newHttpClient();
        String body = """
                {"model":"sim-small","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"system","content":%s},{"role":"user","content":%s}]}"""
                .formatted(quote(SYSTEM), quote(QUESTION));
        Supplier<Integer> direct = () -> {
            try {
                HttpResponse<java.util.stream.Stream<String>> response = http.send(HttpRequest.newBuilder(
                                URI.create(BASE + "/chat/completions")).header("Content-Type", "application/json")
                                .header("Authorization", "Bearer simulator-key")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofLines());
                return (int) response.body().filter(line -> line.startsWith("data:")).count();
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        };
        Supplier<Integer> springAi = () -> model.provider().prompt(model.modelId(), messages,
                PLAIN, true).stream().chatResponse().collectList().block().size();
        Supplier<Integer> springAiUnobserved = () -> unobserved.provider().prompt(unobserved.modelId(), messages,
                PLAIN, true).stream().chatResponse().collectList().block().size();
        // as inside a chat request: a current observation (the HTTP server span) that every operator carries along
        Supplier<Integer> springAiInRequest = () -> Observation.createNotStarted("bench.request", observations)
                .observe(springAi::get);
        Supplier<Integer> resilient = () -> calls.stream(List.of(unobserved), m -> m.provider().prompt(m.modelId(),
                messages, PLAIN, true).stream().chatResponse(), false,
                Instant.now().plusSeconds(30), () -> false, (m, outcome) -> { }).collectList().block().size();

        for (int i = 0; i < 300; i++) {   // warm-up: JIT, connections
            direct.get();
            springAi.get();
            springAiUnobserved.get();
            springAiInRequest.get();
            resilient.get();
        }
        String jfr = System.getProperty("modelCall.jfr");
        Recording recording = null;
        if (jfr != null) {
            recording = new Recording(Configuration.getConfiguration("profile"));
            recording.start();
        }
        long[][] nanos = new long[5][ROUNDS];
        int chunks = 0;
        for (int i = 0; i < ROUNDS; i++) {
            chunks = time(direct, nanos[0], i);
            time(springAi, nanos[1], i);
            time(resilient, nanos[2], i);
            time(springAiUnobserved, nanos[3], i);
            time(springAiInRequest, nanos[4], i);
        }
        if (recording != null) {
            recording.dump(Path.of(jfr));
            recording.close();
        }
        System.out.printf(Locale.ROOT, "%nModel call, %d streamed calls each way, alternating (%d chunks per answer)%n",
                ROUNDS, chunks);
        report("straight to the simulator (JDK HttpClient)", nanos[0]);
        report("Spring AI + SDK, observed (before; model-observations=true)", nanos[1]);
        report("Spring AI + SDK, observed, inside a current observation", nanos[4]);
        report("Spring AI + SDK, not observed (after; the default)", nanos[3]);
        report("... not observed + resilience layer (breaker, bulkhead, timeouts)", nanos[2]);
    }

    private static int time(Supplier<Integer> call, long[] into, int i) {
        long start = System.nanoTime();
        int n = call.get();
        into[i] = System.nanoTime() - start;
        return n;
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "  %-66s p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms%n", what,
                sorted[sorted.length / 2] / 1e6, sorted[sorted.length * 9 / 10] / 1e6,
                sorted[sorted.length * 99 / 100] / 1e6);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
