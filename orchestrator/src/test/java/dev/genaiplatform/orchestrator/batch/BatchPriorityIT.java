package dev.genaiplatform.orchestrator.batch;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.orchestrator.chat.FakeOpenAiServer;
import dev.genaiplatform.orchestrator.support.TestPostgres;
import dev.genaiplatform.orchestrator.support.TestRedis;
import dev.genaiplatform.orchestrator.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Priority classes of the batch lane ({@code metadata.priority}: {@code batch}, the default, or {@code bulk}) through
 * the real orchestrator: embedded Kafka, PostgreSQL (a database of this test's own, so other tests' batches never
 * stand in its queue), Redis, the fake model, and the stand-ins of BatchLaneIT. One consumer thread per lane, so the
 * order lines are taken in is the lane's decision, not a race of threads. A second provider, {@code slow}, gets batch
 * work at 0.2 lines per second, so a queue builds up on demand.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        TestPostgres.DATABASE_PROPERTY + "=orchestrator_priority",
        "management.server.port=0",
        "platform.orchestrator.cache.enabled=false",
        // the stand-in retrieval's passages share no word with these questions: answer them all the same
        "platform.orchestrator.answer-kinds.abstain.min-relevance=0",
        "platform.orchestrator.answer-kinds.clarify.enabled=false",
        "platform.orchestrator.providers.slow.kind=openai",
        "platform.orchestrator.providers.slow.api-key=slow-key",
        "platform.orchestrator.models.sim-slow.provider=slow",
        "platform.orchestrator.models.sim-slow.model=sim-slow",
        "platform.orchestrator.batch.rates.simulator.per-second=100",
        "platform.orchestrator.batch.rates.simulator.burst=100",
        "platform.orchestrator.batch.rates.slow.per-second=0.2",
        "platform.orchestrator.batch.rates.slow.burst=1",
        "platform.orchestrator.batch.max-queue-wait=60s",
        "platform.orchestrator.batch.max-bulk-queue-wait=5s",
        "platform.orchestrator.batch.concurrency=1",
        // this test's own rates: its buckets must not share Redis state with other tests' buckets of the same names
        "platform.orchestrator.batch.shared-buckets=false"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers", topics = {
        Topics.GUARDRAILS_CHECK_INPUT, Topics.GUARDRAILS_INPUT_CHECKED, Topics.GUARDRAILS_CHECK_OUTPUT,
        Topics.GUARDRAILS_OUTPUT_CHECKED, Topics.RETRIEVAL_SEARCH, Topics.RETRIEVAL_SEARCH_RESULT,
        Topics.CHAT_COMPLETION_RECORDED, Topics.CHAT_BATCH_LINE_QUEUED, Topics.CHAT_BULK_LINE_QUEUED,
        Topics.GATEWAY_API_KEY_REVOKED})
@Import(PlatformStandIns.class)
class BatchPriorityIT {

    private static final FakeOpenAiServer MODEL = start(FakeOpenAiServer::new);
    private static final FilesStandIn FILES = start(FilesStandIn::new);
    private static final JsonMapper JSON = new JsonMapper();
    private static final String TENANT = "prio";

    @DynamicPropertySource
    static void dependencies(DynamicPropertyRegistry registry) {
        registry.add("platform.orchestrator.providers.simulator.base-url", MODEL::baseUrl);
        registry.add("platform.orchestrator.providers.slow.base-url", MODEL::baseUrl);
        registry.add("platform.orchestrator.batch.files-url", FILES::url);
        registry.add("platform.security.jwk-set-uri", TestTokens::jwksUri);
        registry.add("spring.data.redis.port", TestRedis::port);
    }

    @AfterAll
    static void stop() {
        MODEL.close();
        FILES.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * A batch batch and a bulk batch queued together while the model holds its first answer: every batch line is
     * taken before any bulk line, the batch batch completes first, and both complete whole.
     */
    @Test
    void batchLinesQueuedTogetherWithBulkLinesAreAllTakenFirstAndTheBatchBatchFinishesFirst() throws Exception {
        String token = token();
        CountDownLatch held = MODEL.holdAnswers();
        String batch;
        String bulk;
        try {
            batch = create(token, lines("batch", 4), null);
            // the lane's one consumer thread holds the first batch line at the model; three wait
            await().atMost(Duration.ofSeconds(30)).until(() -> MODEL.waitingAnswers() == 1);
            bulk = create(token, lines("bulk", 3), "bulk");
        }
        finally {
            held.countDown();
        }

        JsonNode batchDone = awaitStatus(batch, token, "completed");
        JsonNode bulkDone = awaitStatus(bulk, token, "completed");

        assertThat(batchDone.path("request_counts").path("completed").asInt()).isEqualTo(4);
        assertThat(bulkDone.path("request_counts").path("completed").asInt()).isEqualTo(3);
        assertThat(bulkDone.path("metadata").path("priority").asString()).isEqualTo("bulk");
        // no bulk line was taken while a batch line still waited
        Instant lastBatchTake = claims(batch).values().stream().max(Instant::compareTo).orElseThrow();
        Instant firstBulkTake = claims(bulk).values().stream().min(Instant::compareTo).orElseThrow();
        assertThat(firstBulkTake).isAfterOrEqualTo(lastBatchTake);
        assertThat(batchDone.path("completed_at").asLong()).isLessThanOrEqualTo(bulkDone.path("completed_at").asLong());
        // every line called the model once
        assertThat(MODEL.requests().stream().map(r -> r.path("messages").get(r.path("messages").size() - 1)
                .path("content").asString()).filter(q -> q.startsWith("bulk question") || q.startsWith("batch question"))
                .toList()).hasSize(7).doesNotHaveDuplicates();
    }

    /**
     * With about 15 to 20 s of batch work queued for a slow provider, a new bulk batch (bar 5 s) is refused with 429
     * and Retry-After and nothing of it is stored, while a new batch batch (bar 60 s) is accepted.
     */
    @Test
    void aBulkBatchIsShedAtALowerQueueWaitThanABatchBatchAndNothingOfItIsKept() throws Exception {
        String token = token();
        String slow = create(token, IntStream.range(0, 5).mapToObj(i -> line("slow-" + i, "sim-slow", "Slow " + i))
                .collect(Collectors.joining("\n")), null);
        int before = batchCount();

        HttpResponse<String> shed = send("POST", "/v1/batches", token, body(upload(lines("late-bulk", 1)), "bulk"));
        assertThat(shed.statusCode()).as(shed.body()).isEqualTo(429);
        assertThat(shed.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(shed.body()).path("error").path("code").asString()).isEqualTo("overloaded");
        assertThat(shed.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(batchCount()).isEqualTo(before);   // refused at the door: no batch, no line, no record

        String admitted = create(token, lines("late-batch", 1), "batch");
        assertThat(batchCount()).isEqualTo(before + 1);

        for (String id : List.of(slow, admitted)) {
            send("POST", "/v1/batches/" + id + "/cancel", token, null);
            awaitStatus(id, token, "cancelled", "completed");
        }
    }

    @Test
    void anUnknownPriorityIsA400NamingMetadataPriority() throws Exception {
        HttpResponse<String> refused = send("POST", "/v1/batches", token(), body(upload(lines("x", 1)), "urgent"));

        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(refused.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("invalid_value");
        assertThat(error.path("param").asString()).isEqualTo("metadata.priority");
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private Map<Integer, Instant> claims(String batchId) {
        Map<Integer, Instant> claims = new HashMap<>();
        this.jdbc.sql("select line_index, claimed_at from batch_lines where batch_id = ?").param(batchId)
                .query((rs, row) -> claims.put(rs.getInt(1), rs.getTimestamp(2).toInstant())).list();
        return claims;
    }

    private int batchCount() {
        return this.jdbc.sql("select count(*) from batches where tenant_id = ?").param(TENANT).query(Integer.class)
                .single();
    }

    private static String token() {
        return TestTokens.builder(TENANT).models("sim-small", "sim-slow").sign();
    }

    private static String lines(String kind, int count) {
        return IntStream.range(0, count).mapToObj(i -> line(kind + "-" + i, "sim-small", kind + " question " + i
                + " " + UUID.randomUUID())).collect(Collectors.joining("\n"));
    }

    private static String line(String customId, String model, String question) {
        return JSON.writeValueAsString(Map.of("custom_id", customId, "method", "POST", "url", "/v1/chat/completions",
                "body", Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", question)))));
    }

    private static String upload(String content) {
        String id = "file-" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        FILES.put(id, TENANT, "batch", content);
        return id;
    }

    private static Map<String, Object> body(String fileId, String priority) {
        Map<String, Object> body = new HashMap<>(Map.of("input_file_id", fileId, "endpoint", "/v1/chat/completions",
                "completion_window", "24h"));
        if (priority != null) {
            body.put("metadata", Map.of("priority", priority));
        }
        return body;
    }

    private String create(String token, String content, String priority) throws Exception {
        HttpResponse<String> created = send("POST", "/v1/batches", token, body(upload(content), priority));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        return JSON.readTree(created.body()).path("id").asString();
    }

    private JsonNode awaitStatus(String id, String token, String... statuses) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            last[0] = JSON.readTree(send("GET", "/v1/batches/" + id, token, null).body());
            assertThat(last[0].path("status").asString()).isIn((Object[]) statuses);
        });
        return last[0];
    }

    private HttpResponse<String> send(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.header("Authorization", "Bearer " + token);
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private interface Starter<T> {
        T start() throws IOException;
    }

    private static <T> T start(Starter<T> starter) {
        try {
            return starter.start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
