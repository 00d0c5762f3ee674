package dev.genaiplatform.orchestrator.batch;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.chat.BatchLineQueuedCommand;
import dev.genaiplatform.contracts.gateway.ApiKeyRevokedEvent;
import dev.genaiplatform.orchestrator.chat.FakeOpenAiServer;
import dev.genaiplatform.orchestrator.support.TestRedis;
import dev.genaiplatform.orchestrator.support.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The batch lane through the real orchestrator: embedded Kafka (the work queue and the guardrails/retrieval
 * request/reply), embedded PostgreSQL (batches and lines), Redis, the fake OpenAI server as the model, and a stand-in
 * for retrieval's file content endpoint. A second provider, {@code slow}, gets batch work at 0.2 lines per second, so a
 * queue builds up on demand.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "platform.orchestrator.cache.enabled=false",
        "platform.orchestrator.providers.slow.kind=openai",
        "platform.orchestrator.providers.slow.api-key=slow-key",
        "platform.orchestrator.models.sim-slow.provider=slow",
        "platform.orchestrator.models.sim-slow.model=sim-slow",
        "platform.orchestrator.batch.rates.slow.per-second=0.2",
        "platform.orchestrator.batch.rates.slow.burst=1",
        "platform.orchestrator.batch.max-queue-wait=10s",
        "platform.orchestrator.batch.concurrency=3"})
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers", topics = {
        Topics.GUARDRAILS_CHECK_INPUT, Topics.GUARDRAILS_INPUT_CHECKED, Topics.GUARDRAILS_CHECK_OUTPUT,
        Topics.GUARDRAILS_OUTPUT_CHECKED, Topics.RETRIEVAL_SEARCH, Topics.RETRIEVAL_SEARCH_RESULT,
        Topics.CHAT_COMPLETION_RECORDED, Topics.CHAT_BATCH_LINE_QUEUED, Topics.GATEWAY_API_KEY_REVOKED})
@Import(PlatformStandIns.class)
class BatchLaneIT {

    private static final FakeOpenAiServer MODEL = start(FakeOpenAiServer::new);
    private static final FilesStandIn FILES = start(FilesStandIn::new);
    private static final JsonMapper JSON = new JsonMapper();

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
    EmbeddedKafkaBroker broker;

    @Autowired
    MeterRegistry meters;

    @Autowired
    PlatformStandIns standIns;

    private final HttpClient http = HttpClient.newHttpClient();

    // ---- the lane ---------------------------------------------------------------------------------------

    @Test
    void runsEveryValidLineOnceAndPutsEachBrokenLineInTheErrorFileWithItsReason() throws Exception {
        String token = TestTokens.builder("acme").models("sim-small", "auto").sign();
        String file = upload("acme", String.join("\n",
                line("q1", "sim-small", "How does retrieval rank passages? (all)"),
                "{not json",
                line("q2", "sim-small", "How are chunks kept? (all)"),
                line("q1", "sim-small", "A second line with the same custom_id"),
                "{\"custom_id\":\"wrong-url\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{}}",
                line("not-allowed", "sim-large", "A model this key may not use"),
                "{\"custom_id\":\"no-messages\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"sim-small\"}}",
                "",
                line("q3", "auto", "How does retrieval fuse rankings? (all)")) + "\n");

        HttpResponse<String> created = send("POST", "/v1/batches", token, Map.of("input_file_id", file,
                "endpoint", "/v1/chat/completions", "completion_window", "24h", "metadata", Map.of("job", "nightly")));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode batch = JSON.readTree(created.body());
        String id = batch.path("id").asString();
        assertThat(id).startsWith("batch_");
        assertThat(batch.path("object").asString()).isEqualTo("batch");
        assertThat(batch.path("status").asString()).isIn("in_progress", "completed");
        assertThat(batch.path("input_file_id").asString()).isEqualTo(file);
        assertThat(batch.path("metadata").path("job").asString()).isEqualTo("nightly");
        assertThat(batch.path("request_counts").path("total").asInt()).isEqualTo(8);
        assertThat(FILES.tokens).contains(token);   // the input file was read with the caller's own token

        JsonNode done = awaitStatus(id, token, "completed");
        assertThat(done.path("request_counts").path("completed").asInt()).isEqualTo(3);
        assertThat(done.path("request_counts").path("failed").asInt()).isEqualTo(5);
        assertThat(done.path("completed_at").isNumber()).isTrue();
        assertThat(done.path("finalizing_at").isNumber()).isTrue();
        // each valid line called the model once; no broken one did
        assertThat(MODEL.requests().stream().map(r -> r.path("messages").get(r.path("messages").size() - 1)
                .path("content").asString()).filter(q -> q.endsWith("(all)")).toList()).containsExactlyInAnyOrder(
                "How does retrieval rank passages? (all)", "How are chunks kept? (all)",
                "How does retrieval fuse rankings? (all)");

        String outputFile = done.path("output_file_id").asString();
        assertThat(outputFile).isEqualTo("file-batch-" + id.substring(6) + "-output");
        HttpResponse<String> fileObject = send("GET", "/v1/files/" + outputFile, token, null);
        assertThat(fileObject.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(fileObject.body()).path("purpose").asString()).isEqualTo("batch_output");
        List<JsonNode> output = jsonl(send("GET", "/v1/files/" + outputFile + "/content", token, null));
        assertThat(output).extracting(l -> l.path("custom_id").asString()).containsExactly("q1", "q2", "q3");
        JsonNode first = output.getFirst();
        assertThat(first.path("id").asString()).startsWith("batch_req_");
        assertThat(first.path("response").path("status_code").asInt()).isEqualTo(200);
        assertThat(first.path("response").path("request_id").asString()).startsWith("chatcmpl-");
        assertThat(first.path("response").path("body").path("object").asString()).isEqualTo("chat.completion");
        assertThat(first.path("response").path("body").at("/choices/0/message/content").asString())
                .isEqualTo(FakeOpenAiServer.ANSWER_WITH_CITATIONS);
        assertThat(first.path("response").path("body").path("citations")).hasSize(2);
        assertThat(first.path("error").isNull()).isTrue();
        // the same pipeline as interactive chat: guardrails saw each question
        assertThat(this.standIns.checkedQuestions).contains("How does retrieval rank passages? (all)",
                "How are chunks kept? (all)", "How does retrieval fuse rankings? (all)");

        List<JsonNode> errors = jsonl(send("GET", "/v1/files/" + done.path("error_file_id").asString() + "/content",
                token, null));
        assertThat(errors).extracting(l -> l.path("error").path("code").asString()).containsExactly(
                "invalid_json", "duplicate_custom_id", "invalid_url", "model_not_found", "empty_array");
        assertThat(errors).extracting(l -> l.path("custom_id").isNull() ? null : l.path("custom_id").asString())
                .containsExactly(null, "q1", "wrong-url", "not-allowed", "no-messages");
        assertThat(errors.getFirst().path("error").path("message").asString()).startsWith("Line 2:");
        assertThat(errors).allSatisfy(l -> assertThat(l.path("response").isNull()).isTrue());
    }

    @Test
    void aRedeliveredLineDoesNotCallTheModelTwice() throws Exception {
        String token = token("acme");
        String id = create(token, upload("acme", line("only", "sim-small", "How does retrieval rank passages?")));
        awaitStatus(id, token, "completed");
        long modelCalls = MODEL.requests().size();
        double skipped = counter("platform.batch.lines.skipped");

        // the same line's record twice more, as a redelivery after a crash before the commit would bring it
        publish(new BatchLineQueuedCommand(id, 0, "simulator", BatchLineQueuedCommand.PriorityClass.BATCH,
                Instant.now()), token);
        publish(new BatchLineQueuedCommand(id, 0, "simulator", BatchLineQueuedCommand.PriorityClass.BATCH,
                Instant.now()), token);

        await().atMost(Duration.ofSeconds(20)).until(() -> counter("platform.batch.lines.skipped") >= skipped + 2);
        assertThat(MODEL.requests().size()).isEqualTo(modelCalls);
        List<JsonNode> output = jsonl(send("GET", "/v1/files/file-batch-" + id.substring(6) + "-output/content",
                token, null));
        assertThat(output).hasSize(1);
    }

    @Test
    void aLineTheProviderRefusesForAWhileIsTakenAgainAfterABackoffAndAnswered() throws Exception {
        String token = token("acme");
        String question = "How does retrieval rank passages? (retried)";
        double retried = counter("platform.batch.lines.retried");
        MODEL.fault("sim-slow", "unavailable");   // 503 + Retry-After: the line is handed back, not failed
        try {
            String id = create(token, upload("acme", line("flaky", "sim-slow", question)));
            // the first take failed and gave the line back; only a later take can succeed
            await().atMost(Duration.ofSeconds(30)).until(() -> counter("platform.batch.lines.retried") > retried);
            MODEL.fault("sim-slow", null);

            JsonNode done = awaitStatus(id, token, "completed");

            assertThat(done.path("request_counts").path("completed").asInt()).isEqualTo(1);
            assertThat(asked(question)).isGreaterThan(1);
            List<JsonNode> output = jsonl(send("GET", "/v1/files/" + done.path("output_file_id").asString()
                    + "/content", token, null));
            assertThat(output).singleElement().satisfies(l -> assertThat(l.at("/response/status_code").asInt())
                    .isEqualTo(200));
        }
        finally {
            MODEL.fault("sim-slow", null);
        }
    }

    private static long asked(String question) {
        return MODEL.requests().stream().filter(r -> question.equals(
                r.path("messages").get(r.path("messages").size() - 1).path("content").asString())).count();
    }

    @Test
    void aRecordWithoutAValidTokenOfTheBatchsTenantGoesToTheDeadLetterTopicAndRunsNothing() throws Exception {
        String token = token("acme");
        String id = create(token, upload("acme", line("one", "sim-small", "How does retrieval rank passages?")));
        awaitStatus(id, token, "completed");
        long modelCalls = MODEL.requests().size();
        BatchLineQueuedCommand again = new BatchLineQueuedCommand(id, 0, "simulator",
                BatchLineQueuedCommand.PriorityClass.BATCH, Instant.now());

        publish(again, null);
        publish(again, TestTokens.builder("acme").signedByAStranger().sign());
        publish(again, token("globex"));

        List<String> reasons = deadLetterReasons(3);
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("no platform-auth header"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("invalid internal token"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("not of the batch's tenant and key"));
        assertThat(MODEL.requests().size()).isEqualTo(modelCalls);
    }

    @Test
    void linesWaitForALiveTokenAndGoOnWhenTheClientPollsWithAFreshOne() throws Exception {
        // still valid for the request, but too close to its expiry (margin 15 s) to carry a line through guardrails
        String shortLived = TestTokens.builder("initech").expiresAt(Instant.now().plusSeconds(10)).sign();
        String id = create(shortLived, upload("initech", line("late", "sim-small", "How are chunks kept?")));
        await().atMost(Duration.ofSeconds(20)).until(() -> counter("platform.batch.lines.parked") >= 1);
        assertThat(JSON.readTree(send("GET", "/v1/batches/" + id, token("initech"), null).body())
                .path("status").asString()).isIn("in_progress", "completed");

        JsonNode done = awaitStatus(id, token("initech"), "completed");

        assertThat(done.path("request_counts").path("completed").asInt()).isEqualTo(1);
        assertThat(this.standIns.inputCheckTokens).doesNotContain(shortLived);
    }

    @Test
    void aBatchPastItsCompletionWindowExpiresWithItsUnfinishedLinesInTheErrorFile(@Autowired JdbcClient jdbc,
                                                                                  @Autowired BatchSweeper sweeper)
            throws Exception {
        // its lines park (no live token to act with), then the window is moved into the past
        String shortLived = TestTokens.builder("hooli").expiresAt(Instant.now().plusSeconds(10)).sign();
        String id = create(shortLived, upload("hooli", String.join("\n",
                line("a", "sim-small", "How are chunks kept?"), line("b", "sim-small", "How are chunks kept?"))));
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql(
                "select count(*) from batch_lines where batch_id = ? and status = 'waiting_for_token'")
                .param(id).query(Integer.class).single() == 2);
        jdbc.sql("update batches set expires_at = now() - interval '1 minute' where id = ?").param(id).update();

        sweeper.sweep();

        // a poll with a fresh token now finds nothing to run: the lines expired
        JsonNode batch = JSON.readTree(send("GET", "/v1/batches/" + id, token("hooli"), null).body());
        assertThat(batch.path("status").asString()).isEqualTo("expired");
        assertThat(batch.path("expired_at").isNumber()).isTrue();
        assertThat(batch.path("request_counts").path("failed").asInt()).isEqualTo(2);
        List<JsonNode> errors = jsonl(send("GET", "/v1/files/" + batch.path("error_file_id").asString() + "/content",
                token("hooli"), null));
        assertThat(errors).extracting(l -> l.path("error").path("code").asString())
                .containsExactly("batch_expired", "batch_expired");
        assertThat(errors).extracting(l -> l.path("custom_id").asString()).containsExactly("a", "b");
    }

    // ---- the batch grant ----------------------------------------------------------------------------------

    @Test
    void aBatchCreatedWithAGrantCompletesWithoutAnyPollAndItsLinesActWithTheGrant(@Autowired JdbcClient jdbc)
            throws Exception {
        // the creating request's token is too close to its expiry to act with: without the grant the lines would park
        String request = TestTokens.builder("stark").expiresAt(Instant.now().plusSeconds(10)).sign();
        String grant = grant("stark");
        String question = "How are chunks kept? (granted)";

        String id = create(request, upload("stark", String.join("\n", line("g1", "sim-small", question),
                line("g2", "sim-small", question))), grant);

        // nobody calls the batch API again: the database shows it finish
        await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(jdbc.sql(
                "select status from batches where id = ?").param(id).query(String.class).single()));
        assertThat(jdbc.sql("select count(*) from batch_lines where batch_id = ? and status = 'succeeded'")
                .param(id).query(Integer.class).single()).isEqualTo(2);
        assertThat(asked(question)).isEqualTo(2);
        // guardrails were asked with the grant, never with the expiring request token
        assertThat(this.standIns.inputCheckTokens).contains(grant).doesNotContain(request);
        // a finished batch keeps no credential
        assertThat(jdbc.sql("select grant_token from batches where id = ?").param(id).query(String.class)
                .optional()).isEmpty();
    }

    @Test
    void aRevokedKeysBatchStopsAndItsRemainingLinesFailWithTheReason(@Autowired JdbcClient jdbc) throws Exception {
        String request = token("wayne");
        java.util.concurrent.CountDownLatch held = MODEL.holdAnswers();
        String id;
        try {
            id = create(request, upload("wayne", IntStream.range(0, 5)
                    .mapToObj(i -> line("r" + i, "sim-small", "How are chunks kept? (revoked " + i + ")"))
                    .collect(Collectors.joining("\n"))), grant("wayne"));
            // some lines are at the model, the others still queued
            await().atMost(Duration.ofSeconds(30)).until(() -> MODEL.waitingAnswers() >= 1);

            // forged revocations (no token, a chat token of the tenant, an admin token of another tenant) are
            // ignored: the batch goes on
            double ignored = this.meters.counter("platform.batch.revocations.ignored").count();
            publishRevocation("wayne", "key-wayne", null);
            publishRevocation("wayne", "key-wayne", token("wayne"));
            publishRevocation("wayne", "key-wayne", TestTokens.builder("acme").scope("admin").sign());
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    this.meters.counter("platform.batch.revocations.ignored").count() >= ignored + 3);
            assertThat(jdbc.sql("select status from batches where id = ?").param(id).query(String.class).single())
                    .isNotEqualTo("failed");

            publishRevocation("wayne", "key-wayne", TestTokens.builder("wayne").scope("admin").sign());

            await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(jdbc.sql(
                    "select status from batches where id = ?").param(id).query(String.class).single()));
        }
        finally {
            held.countDown();
        }
        // the answers of the lines that were at the model come back after the stop: they are dropped
        JsonNode batch = JSON.readTree(send("GET", "/v1/batches/" + id, token("wayne"), null).body());
        assertThat(batch.path("status").asString()).isEqualTo("failed");
        assertThat(batch.path("errors").path("data").findValuesAsString("code")).containsExactly("api_key_revoked");
        List<JsonNode> errors = jsonl(send("GET", "/v1/files/" + batch.path("error_file_id").asString() + "/content",
                token("wayne"), null));
        assertThat(errors).hasSize(5).allSatisfy(l -> {
            assertThat(l.at("/error/code").asString()).isEqualTo("api_key_revoked");
            assertThat(l.at("/error/message").asString()).contains("revoked");
        });
        assertThat(jdbc.sql("select grant_token from batches where id = ?").param(id).query(String.class)
                .optional()).isEmpty();
        Thread.sleep(1000);   // the held lines finish their model call; none may record a result
        assertThat(jdbc.sql("select count(*) from batch_lines where batch_id = ? and status = 'succeeded'")
                .param(id).query(Integer.class).single()).isZero();
    }

    @Test
    void onlyAGrantOfTheRequestsTenantAndKeyIsAcceptedAsAGrant(@Autowired JdbcClient jdbc) throws Exception {
        String request = token("acme");
        int before = jdbc.sql("select count(*) from batches where tenant_id = 'acme'").query(Integer.class).single();
        Map<String, Object> body = Map.of("input_file_id", upload("acme", line("x", "sim-small", "Anything")),
                "endpoint", "/v1/chat/completions", "completion_window", "24h");

        for (String notAGrant : List.of(grant("globex"), request, TestTokens.builder("acme").grant("batch")
                .signedByAStranger().sign(), TestTokens.builder("acme").grant("batch").expired().sign(),
                TestTokens.builder("acme").grant("agent").sign(), "not-a-jwt")) {
            HttpResponse<String> refused = send("POST", "/v1/batches", request, body, notAGrant);
            assertProblem(refused, 400, "invalid_header");
            assertThat(JSON.readTree(refused.body()).path("error").path("param").asString())
                    .isEqualTo("X-Platform-Batch-Grant");
        }
        assertThat(jdbc.sql("select count(*) from batches where tenant_id = 'acme'").query(Integer.class).single())
                .isEqualTo(before);
    }

    // ---- admission control, cancel, tenants -------------------------------------------------------------

    @Test
    void aLongBatchQueueShedsNewBatchesWith429AndRetryAfterWhileChatAndCancelStillWork() throws Exception {
        String token = token("acme");
        String lines = IntStream.range(0, 6).mapToObj(i -> line("slow-" + i, "sim-slow", "Question " + i))
                .collect(Collectors.joining("\n"));
        String slow = create(token, upload("acme", lines));   // 0.2 lines/s: about 25 s of queue

        HttpResponse<String> shed = send("POST", "/v1/batches", token, Map.of("input_file_id",
                upload("acme", line("x", "sim-small", "Anything")), "endpoint", "/v1/chat/completions",
                "completion_window", "24h"));
        assertThat(shed.statusCode()).isEqualTo(429);
        assertThat(shed.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(shed.body()).path("error").path("code").asString()).isEqualTo("overloaded");
        assertThat(shed.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isPositive());

        // interactive chat does not queue behind batch work
        HttpResponse<String> chat = send("POST", "/v1/chat/completions", token, Map.of("model", "sim-small",
                "messages", List.of(Map.of("role", "user", "content", "How does retrieval rank passages?"))));
        assertThat(chat.statusCode()).isEqualTo(200);

        HttpResponse<String> cancelled = send("POST", "/v1/batches/" + slow + "/cancel", token, null);
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).path("status").asString()).isIn("cancelling", "cancelled");
        JsonNode done = awaitStatus(slow, token, "cancelled");
        assertThat(done.path("cancelled_at").isNumber()).isTrue();
        assertThat(done.path("request_counts").path("completed").asInt()).isLessThan(6);
        long slowCalls = MODEL.requests().stream().filter(r -> "sim-slow".equals(r.path("model").asString())).count();
        assertThat(slowCalls).isLessThan(6);
        assertThat(send("POST", "/v1/batches/" + slow + "/cancel", token, null).statusCode()).isEqualTo(200);

        // the queue is empty again: batches are admitted (and run, before the next test counts model calls)
        String after = create(token, upload("acme", line("after", "sim-small", "How are chunks kept?")));
        awaitStatus(after, token, "completed");
    }

    @Test
    void anotherTenantsBatchAndFilesAreNotFound() throws Exception {
        String acme = token("acme");
        String id = create(acme, upload("acme", line("mine", "sim-small", "How are chunks kept?")));
        awaitStatus(id, acme, "completed");
        String globex = token("globex");

        assertThat(send("GET", "/v1/batches/" + id, globex, null).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/v1/batches/" + id + "/cancel", globex, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/v1/files/file-batch-" + id.substring(6) + "-output/content", globex, null)
                .statusCode()).isEqualTo(404);
        JsonNode page = JSON.readTree(send("GET", "/v1/batches?limit=100", globex, null).body());
        assertThat(page.path("data").findValuesAsString("id")).doesNotContain(id);
        // nor can a batch be made from another tenant's file
        HttpResponse<String> stolen = send("POST", "/v1/batches", globex, Map.of("input_file_id",
                upload("acme", line("x", "sim-small", "Anything")), "endpoint", "/v1/chat/completions",
                "completion_window", "24h"));
        assertThat(stolen.statusCode()).isEqualTo(404);
    }

    @Test
    void listsNewestFirstWithOpenAisCursor() throws Exception {
        String token = token("umbrella");
        String older = create(token, upload("umbrella", line("a", "sim-small", "How are chunks kept?")));
        String newer = create(token, upload("umbrella", line("b", "sim-small", "How are chunks kept?")));

        awaitStatus(older, token, "completed");
        awaitStatus(newer, token, "completed");   // their model calls are over before another test counts calls

        JsonNode first = JSON.readTree(send("GET", "/v1/batches?limit=1", token, null).body());
        assertThat(first.path("object").asString()).isEqualTo("list");
        assertThat(first.path("data").get(0).path("id").asString()).isEqualTo(newer);
        assertThat(first.path("has_more").asBoolean()).isTrue();
        JsonNode second = JSON.readTree(send("GET", "/v1/batches?limit=1&after=" + newer, token, null).body());
        assertThat(second.path("data").get(0).path("id").asString()).isEqualTo(older);
        assertThat(second.path("has_more").asBoolean()).isFalse();
    }

    @Test
    void badBatchRequestsAreClear4xxProblems() throws Exception {
        String token = token("acme");
        String good = upload("acme", line("x", "sim-small", "Anything"));
        FILES.put("file-not-batch", "acme", "assistants", line("x", "sim-small", "Anything"));

        assertProblem(send("POST", "/v1/batches", token, Map.of("input_file_id", "file-nope",
                "endpoint", "/v1/chat/completions", "completion_window", "24h")), 404, "not_found");
        assertProblem(send("POST", "/v1/batches", token, Map.of("input_file_id", good,
                "endpoint", "/v1/embeddings", "completion_window", "24h")), 400, "invalid_value");
        assertProblem(send("POST", "/v1/batches", token, Map.of("input_file_id", good,
                "endpoint", "/v1/chat/completions", "completion_window", "1h")), 400, "invalid_value");
        assertProblem(send("POST", "/v1/batches", token, Map.of(
                "endpoint", "/v1/chat/completions", "completion_window", "24h")), 400, "missing_required_parameter");
        assertProblem(send("POST", "/v1/batches", token, Map.of("input_file_id", "file-not-batch",
                "endpoint", "/v1/chat/completions", "completion_window", "24h")), 400, "invalid_value");
        assertProblem(send("GET", "/v1/batches/batch_unknown", token, null), 404, "not_found");
        assertProblem(send("GET", "/v1/batches?limit=0", token, null), 400, "invalid_value");
        assertProblem(send("GET", "/v1/files/file-abc/content", token, null), 404, "not_found");
        assertThat(send("GET", "/v1/batches", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/v1/batches", TestTokens.builder("acme").scope("documents").sign(), null).statusCode())
                .isEqualTo(403);
    }

    @Test
    void aFileOfOnlyBrokenLinesMakesAFailedBatchWithItsErrors() throws Exception {
        String token = token("acme");
        String id = create(token, upload("acme", "{broken\n" + line("gone", "no-such-model", "Anything")));

        JsonNode batch = JSON.readTree(send("GET", "/v1/batches/" + id, token, null).body());
        assertThat(batch.path("status").asString()).isEqualTo("failed");
        assertThat(batch.path("failed_at").isNumber()).isTrue();
        assertThat(batch.path("errors").path("data").findValuesAsString("code"))
                .containsExactly("invalid_json", "model_not_found");
        assertThat(jsonl(send("GET", "/v1/files/" + batch.path("error_file_id").asString() + "/content", token, null)))
                .hasSize(2);
        assertThat(batch.path("output_file_id").isNull()).isTrue();
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** What the gateway adds to {@code POST /v1/batches}: chat only, alive for the completion window. */
    private static String grant(String tenant) {
        return TestTokens.builder(tenant).models("sim-small", "sim-large", "sim-slow", "auto").grant("batch")
                .expiresAt(Instant.now().plus(Duration.ofHours(24).plusMinutes(5)))
                .deadline(Instant.now().plus(Duration.ofHours(24))).sign();
    }

    /** As the gateway publishes it: with an admin-scoped token of the tenant in {@code platform-auth} (or as given). */
    private void publishRevocation(String tenant, String keyId, String token) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()),
                new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.GATEWAY_API_KEY_REVOKED, keyId,
                    JSON.writeValueAsBytes(new ApiKeyRevokedEvent(UUID.randomUUID().toString(), Instant.now(), tenant,
                            keyId, "admin")));
            if (token != null) {
                record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
            }
            producer.send(record);
        }
    }

    private static String token(String tenant) {
        return TestTokens.builder(tenant).models("sim-small", "sim-large", "sim-slow", "auto").sign();
    }

    private static String line(String customId, String model, String question) {
        return JSON.writeValueAsString(Map.of("custom_id", customId, "method", "POST", "url", "/v1/chat/completions",
                "body", Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", question)))));
    }

    private static String upload(String tenant, String content) {
        String id = "file-" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        FILES.put(id, tenant, "batch", content);
        return id;
    }

    private String create(String token, String fileId) throws Exception {
        return create(token, fileId, null);
    }

    private String create(String token, String fileId, String grant) throws Exception {
        HttpResponse<String> created = send("POST", "/v1/batches", token, Map.of("input_file_id", fileId,
                "endpoint", "/v1/chat/completions", "completion_window", "24h"), grant);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        return JSON.readTree(created.body()).path("id").asString();
    }

    private JsonNode awaitStatus(String id, String token, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            last[0] = JSON.readTree(send("GET", "/v1/batches/" + id, token, null).body());
            assertThat(last[0].path("status").asString()).isEqualTo(status);
        });
        return last[0];
    }

    private HttpResponse<String> send(String method, String path, String token, Object body) throws Exception {
        return send(method, path, token, body, null);
    }

    private HttpResponse<String> send(String method, String path, String token, Object body, String grant)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (grant != null) {
            request.header("X-Platform-Batch-Grant", grant);
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> jsonl(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().lines().filter(l -> !l.isBlank()).map(JSON::readTree).toList();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).path("error").path("code").asString()).isEqualTo(code);
    }

    private double counter(String name) {
        return this.meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private void publish(BatchLineQueuedCommand command, String token) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()),
                new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.CHAT_BATCH_LINE_QUEUED,
                    command.batchId(), JSON.writeValueAsBytes(command));
            if (token != null) {
                record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
            }
            producer.send(record);
        }
    }

    private List<String> deadLetterReasons(int count) {
        List<String> reasons = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-dlt-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.deadLetter(Topics.CHAT_BATCH_LINE_QUEUED)));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    reasons.add(new String(record.headers().lastHeader(BatchWorker.REASON_HEADER).value(),
                            StandardCharsets.UTF_8));
                }
                return reasons.size() >= count;
            });
        }
        return reasons;
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
