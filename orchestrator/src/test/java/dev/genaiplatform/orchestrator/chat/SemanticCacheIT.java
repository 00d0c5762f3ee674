package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.retrieval.DocumentDeletedEvent;
import dev.genaiplatform.contracts.retrieval.SearchCommand;
import dev.genaiplatform.contracts.retrieval.TextEmbedding;
import dev.genaiplatform.orchestrator.semantic.QuestionEmbedder;
import dev.genaiplatform.orchestrator.support.TestRedis;
import dev.genaiplatform.orchestrator.support.TestTokens;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The semantic cache through the real flow: real MiniLM, real Redis, real Kafka. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // the fake retrieval returns the same two passages for every question: the answer-kind rules would hold
        // back most of this class's questions, which test other mechanisms (AnswerTraceIT tests the rules)
        "platform.orchestrator.answer-kinds.abstain.min-relevance=0",
        "platform.orchestrator.answer-kinds.clarify.enabled=false",
        // output checks in windows of 24 characters: a short test answer still streams in several pieces
        "platform.orchestrator.output-checks.window-chars=24",
        "management.server.port=0", "platform.orchestrator.semantic-cache.enabled=true"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers", topics = {
        Topics.GUARDRAILS_CHECK_INPUT, Topics.GUARDRAILS_INPUT_CHECKED, Topics.GUARDRAILS_CHECK_OUTPUT, Topics.GUARDRAILS_OUTPUT_CHECKED, Topics.RETRIEVAL_SEARCH,
        Topics.RETRIEVAL_SEARCH_RESULT, Topics.CHAT_COMPLETION_RECORDED, Topics.RETRIEVAL_DOCUMENT_DELETED})
@Import(ChatCompletionFlowIT.FakePlatformServices.class)
class SemanticCacheIT {

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
    KafkaTemplate<Object, Object> kafka;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void fakeServicesAreListening(@Autowired KafkaListenerEndpointRegistry listeners) {
        listeners.getListenerContainers().forEach(container -> ContainerTestUtils.waitForAssignment(container, 3));
    }

    @Test
    void aParaphraseIsAnsweredFromTheSemanticCacheButANearMissAndAnotherTenantAreNot() throws Exception {
        String tenant = "sem-" + UUID.randomUUID();
        send(tenant, "How are chunks cited in an answer?");
        int modelCalls = MODEL.requests().size();

        HttpResponse<String> paraphrase = send(tenant, "How do chunks get cited in an answer?");
        HttpResponse<String> otherTenant = send("other-" + UUID.randomUUID(), "How do chunks get cited in an answer?");
        HttpResponse<String> nearMiss = send(tenant, "How are 3 chunks cited in an answer?");

        assertThat(paraphrase.headers().firstValue("X-Platform-Cache")).hasValue("semantic-hit");
        assertThat(paraphrase.body()).contains("Retrieval fuses BM25");
        assertThat(otherTenant.headers().firstValue("X-Platform-Cache")).hasValue("miss");
        assertThat(nearMiss.headers().firstValue("X-Platform-Cache")).hasValue("miss");
        assertThat(MODEL.requests()).hasSize(modelCalls + 2);
    }

    @Test
    void aMissHandsTheVectorTheSemanticCacheComputedToRetrievalSoTheQuestionIsNotEmbeddedAgain(
            @Autowired ChatCompletionFlowIT.FakePlatformServices services) throws Exception {
        String question = "Which passages does a hybrid search return first?";
        send("sem-vec-" + UUID.randomUUID(), question);

        SearchCommand search = services.searches.stream().filter(s -> s.query().equals(question)).findFirst()
                .orElseThrow();
        assertThat(search.queryEmbedding()).isNotNull();
        assertThat(search.queryEmbedding().matches(TextEmbedding.MINILM_L6_V2_Q, question)).isTrue();
        assertThat(search.queryEmbedding().vector()).containsExactly(new QuestionEmbedder().embed(question));
    }

    @Test
    void aDeletedDocumentDropsTheSemanticEntriesBuiltOnIt() throws Exception {
        String tenant = "sem-del-" + UUID.randomUUID();
        send(tenant, "How are chunks cited in an answer?");
        assertThat(send(tenant, "How do chunks get cited in an answer?").headers().firstValue("X-Platform-Cache"))
                .hasValue("semantic-hit");

        ProducerRecord<Object, Object> deletion = new ProducerRecord<>(Topics.RETRIEVAL_DOCUMENT_DELETED, tenant,
                new DocumentDeletedEvent(UUID.randomUUID().toString(), Instant.now(), tenant, "rag.md", 1,
                        DocumentDeletedEvent.Reason.SUPERSEDED, null));
        deletion.headers().add(PlatformHeaders.AUTHORIZATION, TestTokens.chat(tenant).getBytes(StandardCharsets.UTF_8));
        this.kafka.send(deletion).get();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                send(tenant, "In an answer, how do chunks get cited?").headers().firstValue("X-Platform-Cache"))
                .hasValue("miss"));
    }

    private HttpResponse<String> send(String tenant, String question) throws Exception {
        String body = """
                {"model": "sim-small", "messages": [{"role": "user", "content": "%s"}]}""".formatted(question);
        return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestTokens.chat(tenant))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
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
