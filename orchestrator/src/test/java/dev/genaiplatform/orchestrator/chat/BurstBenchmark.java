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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Not a test (no assertions on time): a burst of {@code burst.size} (500) chat requests sent at once, with the
 * admission bound {@code burst.bound} (run it twice: 0 = no bound, as before; 32 = the default), and what each
 * request got: status and time. Guardrails and retrieval are stand-ins on the embedded broker (instant), the model a
 * local fake (instant); the exact cache is off so every request does the whole pipeline. Run:
 * {@code ./mvnw -B -q -pl orchestrator -am verify -Dit.test=BurstBenchmark -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dburst.bound=0} (then {@code =32}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.orchestrator.admission.max-in-flight=${burst.bound:32}",
        "platform.orchestrator.cache.enabled=false",
        "platform.orchestrator.answer-kinds.abstain.min-relevance=0",
        "platform.orchestrator.answer-kinds.clarify.enabled=false",
        "management.server.port=0", "logging.level.dev.genaiplatform=WARN",
        "logging.level.org.apache.kafka=WARN"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers", topics = {
        Topics.GUARDRAILS_CHECK_INPUT, Topics.GUARDRAILS_INPUT_CHECKED, Topics.GUARDRAILS_CHECK_OUTPUT,
        Topics.GUARDRAILS_OUTPUT_CHECKED, Topics.RETRIEVAL_SEARCH, Topics.RETRIEVAL_SEARCH_RESULT,
        Topics.CHAT_COMPLETION_RECORDED})
@Import(ChatCompletionFlowIT.FakePlatformServices.class)
class BurstBenchmark {

    private static final FakeOpenAiServer MODEL = startModel();
    private static final int BURST = Integer.getInteger("burst.size", 500);

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

    @Test
    void measure(@Autowired KafkaListenerEndpointRegistry listeners) {
        listeners.getListenerContainers().forEach(container -> ContainerTestUtils.waitForAssignment(container, 3));
        HttpClient http = HttpClient.newBuilder().executor(java.util.concurrent.Executors
                .newVirtualThreadPerTaskExecutor()).build();
        String token = TestTokens.chat("burst");
        for (int i = 0; i < 100; i++) {   // warm-up, sequential
            http.sendAsync(request(token, "Warm-up " + i + " about retrieval ranking?"),
                    HttpResponse.BodyHandlers.ofString()).join();
        }
        List<CompletableFuture<long[]>> burst = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < BURST; i++) {
            burst.add(http.sendAsync(request(token, "Burst " + i + " about retrieval ranking?"),
                            HttpResponse.BodyHandlers.discarding())
                    .handle((response, failure) -> new long[] {failure == null ? response.statusCode() : 0,
                            System.nanoTime() - start}));
        }
        Map<Long, List<Long>> byStatus = new TreeMap<>();
        burst.stream().map(CompletableFuture::join)
                .forEach(result -> byStatus.computeIfAbsent(result[0], s -> new ArrayList<>()).add(result[1]));
        System.out.printf(Locale.ROOT, "%nBurst of %d at once, max-in-flight %s; time from the burst's start%n", BURST,
                System.getProperty("burst.bound", "32"));
        byStatus.forEach((status, nanos) -> {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "  status %3d (0 = client timeout): %4d requests, p50 %7.1f ms, "
                            + "max %7.1f ms%n", status, sorted.length, sorted[sorted.length / 2] / 1e6,
                    sorted[sorted.length - 1] / 1e6);
        });
        System.out.printf(Locale.ROOT, "  all answered after %.1f ms%n", (System.nanoTime() - start) / 1e6);
    }

    private HttpRequest request(String token, String question) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"model": "sim-small", "messages": [{"role": "user", "content": "%s"}]}""".formatted(question)))
                .build();
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
