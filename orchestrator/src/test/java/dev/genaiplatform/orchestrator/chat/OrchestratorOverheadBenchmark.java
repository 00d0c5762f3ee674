package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.orchestrator.support.TestRedis;
import dev.genaiplatform.orchestrator.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test (no assertions on time): a measurement, run on demand with
 * {@code ./mvnw -B -q -pl orchestrator -am verify -Dit.test=OrchestratorOverheadBenchmark -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}. Sequential requests on loopback: a cache hit end to end through the
 * orchestrator (client-measured), and a miss with an instant model broken down by stage from {@code Server-Timing}.
 * Guardrails and retrieval are played by listeners on the embedded broker in the same JVM, so their stages are
 * the Kafka round trip, not those services' own work.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // the fake retrieval returns the same two passages for every question: the answer-kind rules would hold
        // back most of this class's questions, which test other mechanisms (AnswerTraceIT tests the rules)
        "platform.orchestrator.answer-kinds.abstain.min-relevance=0",
        "platform.orchestrator.answer-kinds.clarify.enabled=false",
        "management.server.port=0", "logging.level.dev.genaiplatform=WARN"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers", topics = {
        Topics.GUARDRAILS_CHECK_INPUT, Topics.GUARDRAILS_INPUT_CHECKED, Topics.GUARDRAILS_CHECK_OUTPUT, Topics.GUARDRAILS_OUTPUT_CHECKED, Topics.RETRIEVAL_SEARCH,
        Topics.RETRIEVAL_SEARCH_RESULT, Topics.CHAT_COMPLETION_RECORDED})
@Import(ChatCompletionFlowIT.FakePlatformServices.class)
class OrchestratorOverheadBenchmark {

    private static final FakeOpenAiServer MODEL = startModel();
    private static final int HITS = 2000;
    private static final int MISSES = 400;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("platform.orchestrator.providers.simulator.base-url", MODEL::baseUrl);
        registry.add("platform.security.jwk-set-uri", TestTokens::jwksUri);
        registry.add("spring.data.redis.port", TestRedis::port);
    }

    @AfterAll
    static void stopModel() {
        MODEL.close();
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void measure(@Autowired KafkaListenerEndpointRegistry listeners) throws Exception {
        listeners.getListenerContainers().forEach(container -> ContainerTestUtils.waitForAssignment(container, 3));
        String token = TestTokens.chat("bench");
        String body = """
                {"model": "sim-small", "messages": [{"role": "user", "content": "How does retrieval rank passages?"}]}""";
        for (int i = 0; i < 300; i++) {   // warm-up: JIT, connections, the cache entry
            send(body, token, i % 2 == 0);
        }
        long[] hits = new long[HITS];
        for (int i = 0; i < HITS; i++) {
            long start = System.nanoTime();
            send(body, token, false);
            hits[i] = System.nanoTime() - start;
        }
        long[] misses = new long[MISSES];
        Map<String, List<Double>> stages = new LinkedHashMap<>();
        for (int i = 0; i < MISSES; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = send(body, token, true);
            misses[i] = System.nanoTime() - start;
            for (String entry : response.headers().firstValue("Server-Timing").orElse("").split(",\\s*")) {
                String[] parts = entry.split(";dur=");
                stages.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Double.parseDouble(parts[1]));
            }
        }
        System.out.printf(Locale.ROOT, "%n| measurement | p50 ms | p99 ms |%n|---|---|---|%n");
        System.out.printf(Locale.ROOT, "| cache hit, client-measured (%d sequential) | %.2f | %.2f |%n", HITS,
                percentile(hits, 50), percentile(hits, 99));
        System.out.printf(Locale.ROOT, "| miss, client-measured (%d sequential, instant model) | %.2f | %.2f |%n",
                MISSES, percentile(misses, 50), percentile(misses, 99));
        stages.forEach((stage, values) -> {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "| miss, stage `%s` (Server-Timing) | %.2f | %.2f |%n", stage,
                    sorted[sorted.length / 2], sorted[(int) Math.min(sorted.length - 1, sorted.length * 0.99)]);
        });
    }

    private HttpResponse<String> send(String body, String token, boolean bypass) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bypass) {
            request.header("Cache-Control", "no-cache");
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, (long) sorted.length * p / 100)] / 1_000_000.0;
    }

    private static FakeOpenAiServer startModel() {
        try {
            return new FakeOpenAiServer();
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
