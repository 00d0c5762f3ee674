package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.contracts.retrieval.DocumentDeletedEvent;
import dev.genaiplatform.orchestrator.support.TestRedis;
import dev.genaiplatform.orchestrator.support.TestTokens;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The edges of the chat API behind the gateway: who may call (internal token), which models, the exact cache
 * (hits, single flight, bypass, tenant isolation, invalidation), idempotency keys and routing. Real Kafka and Redis.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // the fake retrieval returns the same two passages for every question: the answer-kind rules would hold
        // back most of this class's questions, which test other mechanisms (AnswerTraceIT tests the rules)
        "platform.orchestrator.answer-kinds.abstain.min-relevance=0",
        "platform.orchestrator.answer-kinds.clarify.enabled=false",
        // output checks in windows of 24 characters: a short test answer still streams in several pieces
        "platform.orchestrator.output-checks.window-chars=24",
        "management.server.port=0", "platform.orchestrator.memory.max-tokens=40"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers", topics = {
        Topics.GUARDRAILS_CHECK_INPUT, Topics.GUARDRAILS_INPUT_CHECKED, Topics.GUARDRAILS_CHECK_OUTPUT, Topics.GUARDRAILS_OUTPUT_CHECKED, Topics.RETRIEVAL_SEARCH,
        Topics.RETRIEVAL_SEARCH_RESULT, Topics.CHAT_COMPLETION_RECORDED, Topics.RETRIEVAL_DOCUMENT_DELETED})
@Import(ChatCompletionFlowIT.FakePlatformServices.class)
class PlatformEdgeIT {

    private static final FakeOpenAiServer MODEL = startModel();

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

    @Autowired
    ChatCompletionFlowIT.FakePlatformServices services;

    @Autowired
    KafkaTemplate<Object, Object> kafka;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = new JsonMapper();

    @BeforeEach
    void fakeServicesAreListening(@Autowired KafkaListenerEndpointRegistry listeners) {
        listeners.getListenerContainers().forEach(container -> ContainerTestUtils.waitForAssignment(container, 3));
    }

    @AfterEach
    void healModels() {
        MODEL.clearFaults();
    }

    // ---- internal token ----------------------------------------------------------------------------------

    @Test
    void refusesAMissingForeignMisaddressedOrExpiredTokenWithA401Problem() throws Exception {
        String body = chat("sim-small", "Who may call? " + UUID.randomUUID());
        List<String> badTokens = new ArrayList<>();
        badTokens.add(null);
        badTokens.add(TestTokens.builder("acme").signedByAStranger().sign());
        badTokens.add(TestTokens.builder("acme").audience("someone-else").sign());
        badTokens.add(TestTokens.builder("acme").expired().sign());
        badTokens.add("not-a-jwt");
        int modelCalls = MODEL.requests().size();

        for (String token : badTokens) {
            HttpResponse<String> response = send(body, token, "X-Tenant-Id", "acme");
            assertThat(response.statusCode()).as(String.valueOf(token)).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(this.json.readTree(response.body()).at("/error/code").asString()).isEqualTo("invalid_internal_token");
        }
        assertThat(MODEL.requests()).hasSize(modelCalls);
    }

    @Test
    void aTokenWithoutTheChatScopeGets403() throws Exception {
        HttpResponse<String> response = send(chat("sim-small", "scope?"), TestTokens.builder("acme").scope("documents").sign());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(this.json.readTree(response.body()).at("/error/code").asString()).isEqualTo("insufficient_scope");
    }

    @Test
    void theTenantComesFromTheTokenNeverFromAForgedHeader() throws Exception {
        HttpResponse<String> response = send(chat("sim-small", "Whose request is this? " + UUID.randomUUID()),
                TestTokens.chat("tenant-a"), "X-Tenant-Id", "tenant-b");

        assertThat(response.statusCode()).isEqualTo(200);
        ChatCompletionRecordedEvent event = awaitEvent(this.json.readTree(response.body()).get("id").asString());
        assertThat(event.tenantId()).isEqualTo("tenant-a");
    }

    @Test
    void aModelOutsideTheTokensListGetsTheGatewaysAnswerForTheSameMistake() throws Exception {
        String token = TestTokens.builder("acme").models("sim-small").sign();

        HttpResponse<String> notAllowed = send(chat("sim-large", "large please"), token);
        HttpResponse<String> unknown = send(chat("gpt-9", "unknown please"), token);

        // word for word what the gateway answers for a model outside the key's list (GatewayIT,
        // ChatRequestValidatorTests): whichever service notices, the client sees one answer
        assertThat(notAllowed.statusCode()).isEqualTo(404);
        assertThat(this.json.readTree(notAllowed.body()).at("/error/code").asString()).isEqualTo("model_not_found");
        assertThat(this.json.readTree(notAllowed.body()).at("/error/param").asString()).isEqualTo("model");
        assertThat(this.json.readTree(notAllowed.body()).at("/error/message").asString())
                .isEqualTo("The model 'sim-large' does not exist or you do not have access to it.");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(this.json.readTree(unknown.body()).at("/error/code").asString()).isEqualTo("model_not_found");
    }

    // ---- exact cache --------------------------------------------------------------------------------------

    @Test
    void aRepeatedRequestIsAnsweredFromTheCacheWholeOrStreamedWithoutAModelCall() throws Exception {
        String question = "How does retrieval rank passages? " + UUID.randomUUID();
        String body = chat("sim-small", question);

        HttpResponse<String> first = send(body, TestTokens.chat("acme"));
        HttpResponse<String> second = send(body, TestTokens.chat("acme"));
        HttpResponse<String> streamed = send(body.replace("{\"model\"", "{\"stream\": true, \"model\""),
                TestTokens.chat("acme"));

        assertThat(first.headers().firstValue("X-Platform-Cache")).hasValue("miss");
        assertThat(second.headers().firstValue("X-Platform-Cache")).hasValue("hit");
        assertThat(streamed.headers().firstValue("X-Platform-Cache")).hasValue("hit");
        // counted by this test's own question: another test's conversation summary may reach the model meanwhile
        assertThat(MODEL.requests()).filteredOn(request -> request.toString().contains(question)).hasSize(1);
        JsonNode cached = this.json.readTree(second.body());
        assertThat(cached.at("/choices/0/message/content").asString()).isEqualTo(FakeOpenAiServer.ANSWER_WITH_CITATIONS);
        assertThat(cached.get("citations")).hasSize(2);
        assertThat(cached.at("/platform/cache").asString()).isEqualTo("hit");
        assertThat(streamed.body()).contains("\"content\":\"Retrieval").contains("data: [DONE]");
        ChatCompletionRecordedEvent event = awaitEvent(cached.get("id").asString());
        assertThat(event.provenance().cache()).isEqualTo("hit");
        assertThat(event.costUsd()).isZero();
    }

    @Test
    void aCachedAnswerIsGivenOnlyToACallerWithTheSameModelsGroupsAndAValidToken() throws Exception {
        String body = chat("sim-small", "Cached for whom? " + UUID.randomUUID());
        HttpResponse<String> first = send(body, TestTokens.chat("acme"));

        HttpResponse<String> otherModels = send(body, TestTokens.builder("acme").models("sim-large").sign());
        HttpResponse<String> otherGroups = send(body, TestTokens.builder("acme").groups("finance").sign());
        HttpResponse<String> forged = send(body, TestTokens.builder("acme").signedByAStranger().sign());
        HttpResponse<String> expired = send(body, TestTokens.builder("acme").expired().sign());
        HttpResponse<String> again = send(body, TestTokens.chat("acme"));

        assertThat(first.headers().firstValue("X-Platform-Cache")).hasValue("miss");
        // the hit path checks what a miss checks: the model against the token, then the key with the token's groups
        assertThat(otherModels.statusCode()).isEqualTo(404);
        assertThat(this.json.readTree(otherModels.body()).at("/error/code").asString()).isEqualTo("model_not_found");
        assertThat(otherGroups.headers().firstValue("X-Platform-Cache")).hasValue("miss");
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(again.headers().firstValue("X-Platform-Cache")).hasValue("hit");
        assertThat(again.headers().firstValue("Server-Timing")).hasValueSatisfying(
                timing -> assertThat(timing).contains("cache;dur="));
    }

    @Test
    void noCacheBypassesTheCache() throws Exception {
        String body = chat("sim-small", "Bypass me " + UUID.randomUUID());
        send(body, TestTokens.chat("acme"));
        int modelCalls = MODEL.requests().size();

        HttpResponse<String> bypassed = send(body, TestTokens.chat("acme"), "Cache-Control", "no-cache");

        assertThat(bypassed.headers().firstValue("X-Platform-Cache")).hasValue("bypass");
        assertThat(MODEL.requests()).hasSize(modelCalls + 1);
    }

    @Test
    void anotherTenantNeverGetsAnAnswerCachedForTheFirst() throws Exception {
        String body = chat("sim-small", "Poison attempt " + UUID.randomUUID());
        send(body, TestTokens.chat("tenant-a"));
        int modelCalls = MODEL.requests().size();

        HttpResponse<String> other = send(body, TestTokens.chat("tenant-b"));

        assertThat(other.headers().firstValue("X-Platform-Cache")).hasValue("miss");
        assertThat(MODEL.requests()).hasSize(modelCalls + 1);
    }

    @Test
    void concurrentIdenticalRequestsCallTheModelOnce() throws Exception {
        MODEL.fault("sim-small", "slow-first-token=400");
        String body = chat("sim-small", "Stampede " + UUID.randomUUID());
        int modelCalls = MODEL.requests().size();

        List<HttpResponse<String>> responses = concurrently(6, () -> send(body, TestTokens.chat("acme")));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(MODEL.requests()).hasSize(modelCalls + 1);
        assertThat(responses).extracting(r -> r.headers().firstValue("X-Platform-Cache").orElseThrow())
                .containsOnlyOnce("miss");
    }

    @Test
    void aDeletedDocumentEvictsTheAnswersBuiltOnItOnlyWhenTheEventCarriesAValidTokenOfItsTenant() throws Exception {
        String body = chat("sim-small", "Evict me " + UUID.randomUUID());
        send(body, TestTokens.chat("acme"));

        publishDeletion("acme", TestTokens.chat("other-tenant"));   // wrong tenant: dead-lettered, ignored
        publishDeletion("acme", null);                               // no token: dead-lettered, ignored
        Thread.sleep(1000);
        assertThat(send(body, TestTokens.chat("acme")).headers().firstValue("X-Platform-Cache")).hasValue("hit");

        publishDeletion("acme", TestTokens.chat("acme"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                send(body, TestTokens.chat("acme")).headers().firstValue("X-Platform-Cache")).hasValue("miss"));
    }

    // ---- idempotency ---------------------------------------------------------------------------------------

    @Test
    void concurrentDuplicatesWithOneIdempotencyKeyGetTheFirstAnswerFromOneModelCall() throws Exception {
        MODEL.fault("sim-small", "slow-first-token=400");
        String key = UUID.randomUUID().toString();
        String body = chat("sim-small", "Pay once " + UUID.randomUUID());
        int modelCalls = MODEL.requests().size();

        List<HttpResponse<String>> responses = concurrently(4,
                () -> send(body, TestTokens.chat("acme"), "Idempotency-Key", key, "Cache-Control", "no-store"));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(responses).extracting(r -> this.json.readTree(r.body()).get("id").asString()).containsOnly(
                this.json.readTree(responses.getFirst().body()).get("id").asString());
        assertThat(MODEL.requests()).hasSize(modelCalls + 1);
    }

    @Test
    void aReplayOfARequestAnsweredFromTheCacheReturnsThatResponsesIdNotTheCachedAnswersOriginalId() throws Exception {
        String body = chat("sim-small", "Cached, then idempotent " + UUID.randomUUID());
        String computedId = this.json.readTree(send(body, TestTokens.chat("acme")).body()).get("id").asString();
        String key = UUID.randomUUID().toString();

        HttpResponse<String> first = send(body, TestTokens.chat("acme"), "Idempotency-Key", key);
        HttpResponse<String> replayed = send(body, TestTokens.chat("acme"), "Idempotency-Key", key);

        assertThat(first.headers().firstValue("X-Platform-Cache")).hasValue("hit");
        String firstId = this.json.readTree(first.body()).get("id").asString();
        assertThat(firstId).isNotEqualTo(computedId);
        assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        JsonNode replay = this.json.readTree(replayed.body());
        assertThat(replay.get("id").asString()).isEqualTo(firstId);
        assertThat(replay.at("/choices/0/message/content").asString())
                .isEqualTo(this.json.readTree(first.body()).at("/choices/0/message/content").asString());
    }

    @Test
    void anIdempotencyKeyReusedWithAnotherBodyIs422AndAMalformedKeyIs400() throws Exception {
        String key = UUID.randomUUID().toString();
        send(chat("sim-small", "first body"), TestTokens.chat("acme"), "Idempotency-Key", key);

        HttpResponse<String> reused = send(chat("sim-small", "second body"), TestTokens.chat("acme"), "Idempotency-Key", key);
        HttpResponse<String> malformed = send(chat("sim-small", "x"), TestTokens.chat("acme"), "Idempotency-Key",
                "a".repeat(300));

        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(this.json.readTree(reused.body()).at("/error/code").asString()).isEqualTo("idempotency_key_reused");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(this.json.readTree(malformed.body()).at("/error/code").asString()).isEqualTo("invalid_header");
    }

    // ---- routing ------------------------------------------------------------------------------------------

    @Test
    void autoRoutesAShortLookupToTheSmallModelAndAToolRequestToTheLargeOneAndSaysWhy() throws Exception {
        HttpResponse<String> simple = send(chat("auto", "What is BM25? " + UUID.randomUUID()), TestTokens.chat("acme"));
        HttpResponse<String> tools = send("""
                {"model": "auto", "messages": [{"role": "user", "content": "Weather in Paris? %s"}],
                 "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]}"""
                .formatted(UUID.randomUUID()), TestTokens.chat("acme"));

        assertThat(simple.headers().firstValue("X-Platform-Route").orElseThrow()).startsWith("sim-small; rule=simple");
        assertThat(this.json.readTree(simple.body()).at("/platform/route/rule").asString()).isEqualTo("simple");
        assertThat(this.json.readTree(simple.body()).get("model").asString()).isEqualTo("auto");
        assertThat(tools.headers().firstValue("X-Platform-Route").orElseThrow()).startsWith("sim-large; rule=needs-tools");
        assertThat(MODEL.requests().getLast().get("model").asString()).isEqualTo("sim-large");
    }

    // ---- conversation memory -------------------------------------------------------------------------------

    @Test
    void aConversationRemembersEarlierTurnsAndIsNotFoundForAnotherTenant() throws Exception {
        String conversation = "conv-" + UUID.randomUUID();
        HttpResponse<String> first = send(chat("sim-small", "My name is Ada. How are chunks cited?"),
                TestTokens.chat("acme"), "X-Conversation-Id", conversation);
        send(chat("sim-small", "What is my name?"), TestTokens.chat("acme"), "X-Conversation-Id", conversation);
        String modelSaw = MODEL.requests().getLast().get("messages").toString();

        HttpResponse<String> otherTenant = send(chat("sim-small", "What is my name?"), TestTokens.chat("globex"),
                "X-Conversation-Id", conversation);
        HttpResponse<String> malformed = send(chat("sim-small", "hi"), TestTokens.chat("acme"),
                "X-Conversation-Id", "not a valid id!");

        assertThat(first.headers().firstValue("X-Platform-Cache")).hasValue("bypass");
        assertThat(modelSaw).contains("My name is Ada").contains(FakeOpenAiServer.ANSWER_WITH_CITATIONS.substring(0, 20));
        assertThat(otherTenant.statusCode()).isEqualTo(404);
        assertThat(otherTenant.body()).doesNotContain("Ada");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(this.json.readTree(malformed.body()).at("/error/code").asString()).isEqualTo("invalid_header");
    }

    @Test
    void olderTurnsAreSummarisedByTheModelOnceTheWindowIsFull() throws Exception {
        String conversation = "conv-" + UUID.randomUUID();
        for (String question : List.of("I live in Lyon. What is BM25?", "I have 3 cats. What is RRF?",
                "My budget is 40 euros. What is a chunk?")) {
            send(chat("sim-small", question), TestTokens.chat("acme"), "X-Conversation-Id", conversation);
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            send(chat("sim-small", "What do you know about me?"), TestTokens.chat("acme"), "X-Conversation-Id",
                    conversation);
            assertThat(MODEL.requests().getLast().get("messages").toString())
                    .contains("Summary of the earlier conversation");
        });
        assertThat(MODEL.requests()).anySatisfy(request -> assertThat(request.at("/messages/0/content").asString())
                .startsWith("Summarise the earlier part of a conversation"));
    }

    @Test
    void nothingOfADeletedConversationComesBackFromMemoryOrCache() throws Exception {
        String conversation = "conv-" + UUID.randomUUID();
        String token = TestTokens.builder("acme").user("user-1").sign();
        send(chat("sim-small", "My secret word is Zanzibar. How are chunks cited?"), token, "X-Conversation-Id", conversation);
        String other = "conv-" + UUID.randomUUID();
        send(chat("sim-small", "My code is Kilimanjaro. What is BM25?"), token, "X-Conversation-Id", other);

        HttpResponse<String> deleted = delete("/v1/conversations/" + conversation, token);
        HttpResponse<String> again = delete("/v1/conversations/" + conversation, token);
        send(chat("sim-small", "What is my secret word?"), token, "X-Conversation-Id", conversation);
        String afterDelete = MODEL.requests().getLast().get("messages").toString();

        HttpResponse<String> strangerDeletesUser = delete("/v1/users/user-1/conversations",
                TestTokens.builder("acme").user("user-2").sign());
        HttpResponse<String> userDeletesAll = delete("/v1/users/user-1/conversations", token);
        send(chat("sim-small", "What is my code?"), token, "X-Conversation-Id", other);
        String afterUserDelete = MODEL.requests().getLast().get("messages").toString();

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(afterDelete).doesNotContain("Zanzibar");
        assertThat(strangerDeletesUser.statusCode()).isEqualTo(403);
        assertThat(userDeletesAll.statusCode()).isEqualTo(200);
        assertThat(afterUserDelete).doesNotContain("Kilimanjaro");
    }

    private HttpResponse<String> delete(String path, String token) throws Exception {
        return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private void publishDeletion(String tenant, String token) throws Exception {
        ProducerRecord<Object, Object> record = new ProducerRecord<>(Topics.RETRIEVAL_DOCUMENT_DELETED, tenant,
                new DocumentDeletedEvent(UUID.randomUUID().toString(), Instant.now(), tenant, "architecture.md", 1,
                        DocumentDeletedEvent.Reason.DELETED, "key-" + tenant));
        if (token != null) {
            record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
        }
        this.kafka.send(record).get();
    }

    private static String chat(String model, String question) {
        return """
                {"model": "%s", "messages": [{"role": "user", "content": "%s"}]}""".formatted(model, question);
    }

    private HttpResponse<String> send(String body, String token, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static <T> List<T> concurrently(int n, Callable<T> call) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(call));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    private ChatCompletionRecordedEvent awaitEvent(String requestId) {
        return await().atMost(Duration.ofSeconds(20)).until(
                () -> this.services.events.stream().filter(e -> e.requestId().equals(requestId)).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
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
