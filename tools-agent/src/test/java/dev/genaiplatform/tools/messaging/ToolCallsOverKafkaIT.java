package dev.genaiplatform.tools.messaging;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.tools.InvokeToolCommand;
import dev.genaiplatform.contracts.tools.ToolCallStatusQuery;
import dev.genaiplatform.contracts.tools.ToolCallStatusReport;
import dev.genaiplatform.contracts.tools.ToolCalledEvent;
import dev.genaiplatform.contracts.tools.ToolInvokedReply;
import dev.genaiplatform.contracts.tools.ToolInvokedReply.Status;
import dev.genaiplatform.tools.support.FakeRetrieval;
import dev.genaiplatform.tools.support.TestTokens;
import dev.genaiplatform.tools.support.ToolsAgentIT;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Tool calls over Kafka exactly as the orchestrator's loop sends them: tokens, idempotency keys, reconciliation. */
class ToolCallsOverKafkaIT extends ToolsAgentIT {

    @org.springframework.beans.factory.annotation.Autowired
    private io.micrometer.core.instrument.MeterRegistry meters;

    @org.springframework.beans.factory.annotation.Autowired
    private FakeRetrieval.Listener retrieval;

    private static String key() {
        return "run-" + UUID.randomUUID() + ":1:call_0";
    }

    private static InvokeToolCommand command(String tool, String arguments, String key) {
        return new InvokeToolCommand("req-1", tool, arguments, "run-1", "1", key, List.of());
    }

    @Test
    void runsACalculatorCallAndPublishesAToolCalledEvent() {
        String key = key();
        ToolInvokedReply reply = kafka.ask(Topics.TOOLS_INVOKE, command("calculator", "{\"expression\":\"(2 + 3) * 4\"}", key),
                TestTokens.token("demo", "alice"), ToolInvokedReply.class);

        assertThat(reply.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(reply.resultJson()).contains("\"value\":20");
        assertThat(reply.idempotencyKey()).isEqualTo(key);
        assertThat(reply.callId()).isNotNull();
        assertThat(kafka.awaitEvents(Topics.TOOLS_TOOL_CALLED, ToolCalledEvent.class,
                e -> key.equals(e.outcome().idempotencyKey()), 1)).singleElement()
                .satisfies(e -> assertThat(e.outcome().status()).isEqualTo(Status.SUCCEEDED));
    }

    @Test
    void searchesAskRetrievalToAnswerOnThisServicesOwnReplyTopicNotTheOrchestrators() {
        ToolInvokedReply reply = kafka.ask(Topics.TOOLS_INVOKE, command("search_documents", "{\"query\":\"leave\"}", key()),
                TestTokens.token("demo", "alice"), ToolInvokedReply.class);

        assertThat(reply.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(reply.resultJson()).contains("30 days of paid leave"); // the answer came back on that topic
        assertThat(retrieval.replyTopics()).isNotEmpty()
                .allMatch(Topics.TOOLS_AGENT_SEARCH_RESULT_REPLIES::equals);
    }

    @Test
    void everyCallIsTimedByToolAndStatus() {
        kafka.ask(Topics.TOOLS_INVOKE, command("calculator", "{\"expression\":\"1 / 0\"}", key()),
                TestTokens.token("demo", "alice"), ToolInvokedReply.class);

        var timer = meters.find("tools.invocations").tags("tool", "calculator", "status", "FAILED").timer();
        assertThat(timer).isNotNull();
        assertThat(timer.count()).isPositive();
        assertThat(meters.find("tools.invocations").tags("tool", "unknown").timers()).isNotNull();
    }

    @Test
    void recordsWithoutAValidTokenGoToTheDeadLetterTopicAndNeverRun() {
        String unsigned = "run-unsigned:" + UUID.randomUUID();
        String foreign = "run-foreign:" + UUID.randomUUID();
        String expired = "run-expired:" + UUID.randomUUID();
        String audience = "run-audience:" + UUID.randomUUID();
        kafka.send(Topics.TOOLS_INVOKE, "k", command("schedule_meeting", meeting("Forged", "2027-01-04T10:00"), unsigned), null);
        kafka.send(Topics.TOOLS_INVOKE, "k", command("calculator", "{\"expression\":\"1\"}", foreign),
                TestTokens.builder("demo", "alice").signedBy(TestTokens.STRANGER_KEY).sign());
        kafka.send(Topics.TOOLS_INVOKE, "k", command("calculator", "{\"expression\":\"1\"}", expired),
                TestTokens.builder("demo", "alice").expiresAt(java.time.Instant.now().minusSeconds(600)).sign());
        kafka.send(Topics.TOOLS_INVOKE, "k", command("calculator", "{\"expression\":\"1\"}", audience),
                TestTokens.builder("demo", "alice").audience("someone-else").sign());
        kafka.sendRaw(Topics.TOOLS_INVOKE, "k", "not json".getBytes(StandardCharsets.UTF_8), TestTokens.token("demo", "alice"));

        // the next good command on the same key is still answered: the partition moved on
        ToolInvokedReply after = kafka.ask(Topics.TOOLS_INVOKE, command("calculator", "{\"expression\":\"2\"}", key()),
                TestTokens.token("demo", "alice"), ToolInvokedReply.class);
        assertThat(after.status()).isEqualTo(Status.SUCCEEDED);

        var deadLetters = kafka.records(Topics.deadLetter(Topics.TOOLS_INVOKE));
        List<String> bodies = new ArrayList<>(deadLetters.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList());
        assertThat(bodies).anyMatch(b -> b.contains(unsigned)).anyMatch(b -> b.contains(foreign))
                .anyMatch(b -> b.contains(expired)).anyMatch(b -> b.contains(audience)).contains("not json");
        assertThat(deadLetters).allSatisfy(r -> assertThat(r.headers().lastHeader("kafka_dlt-exception-message")).isNotNull());
        assertThat(count("select count(*) from tool_call where idempotency_key in (?, ?, ?, ?)", unsigned, foreign, expired, audience)).isZero();
        assertThat(count("select count(*) from meeting where title = 'Forged'")).isZero();
    }

    @Test
    void theSameCommandDeliveredTwentyTimesConcurrentlyBooksOneMeeting() {
        String key = key();
        InvokeToolCommand booking = command("schedule_meeting", meeting("Concurrency review", "2027-01-05T10:00"), key);
        String token = TestTokens.token("demo", "alice");
        List<String> correlations = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // different partition keys spread the copies over partitions, so several listeners race for them
            correlations.add(kafka.send(Topics.TOOLS_INVOKE, "copy-" + i, booking, token));
        }
        List<ToolInvokedReply> replies = correlations.stream().map(c -> kafka.reply(c, ToolInvokedReply.class)).toList();

        assertThat(replies).allSatisfy(r -> assertThat(r.status()).isIn(Status.SUCCEEDED, Status.IN_PROGRESS));
        assertThat(replies.stream().filter(r -> r.status() == Status.SUCCEEDED && !r.replayed())).hasSize(1);
        assertThat(replies.stream().filter(r -> r.status() == Status.SUCCEEDED).map(ToolInvokedReply::resultJson).distinct()).hasSize(1);
        assertThat(count("select count(*) from meeting where title = 'Concurrency review'")).isEqualTo(1);
        assertThat(count("select executions from tool_call where idempotency_key = ?", key)).isEqualTo(1);
        assertThat(count("select deliveries from tool_call where idempotency_key = ?", key)).isEqualTo(20);
    }

    @Test
    void aKeyReusedForOtherArgumentsRunsNothing() {
        String key = key();
        String token = TestTokens.token("demo", "alice");
        kafka.ask(Topics.TOOLS_INVOKE, command("calculator", "{\"expression\":\"1 + 1\"}", key), token, ToolInvokedReply.class);
        ToolInvokedReply reused = kafka.ask(Topics.TOOLS_INVOKE, command("calculator", "{\"expression\":\"9 * 9\"}", key),
                token, ToolInvokedReply.class);

        assertThat(reused.status()).isEqualTo(Status.IDEMPOTENCY_KEY_REUSED);
        assertThat(reused.resultJson()).isNull();
    }

    @Test
    void reconciliationTellsUnknownFromCompletedAndIsScopedToTheTenant() {
        String key = key();
        String demo = TestTokens.token("demo", "alice");
        assertThat(kafka.ask(Topics.TOOLS_CALL_STATUS, new ToolCallStatusQuery("q", key), demo, ToolCallStatusReport.class).state())
                .isEqualTo(ToolCallStatusReport.State.UNKNOWN);

        kafka.ask(Topics.TOOLS_INVOKE, command("calculator", "{\"expression\":\"6 * 7\"}", key), demo, ToolInvokedReply.class);

        ToolCallStatusReport report = kafka.ask(Topics.TOOLS_CALL_STATUS, new ToolCallStatusQuery("q", key), demo, ToolCallStatusReport.class);
        assertThat(report.state()).isEqualTo(ToolCallStatusReport.State.COMPLETED);
        assertThat(report.outcome().resultJson()).contains("42");
        assertThat(kafka.ask(Topics.TOOLS_CALL_STATUS, new ToolCallStatusQuery("q", key), TestTokens.token("acme", "carol"),
                ToolCallStatusReport.class).state()).isEqualTo(ToolCallStatusReport.State.UNKNOWN);
    }

    @Test
    void aHangingToolTimesOutRollsBackAndCanBeRetriedWithTheSameKey() {
        String key = key();
        String token = TestTokens.token("demo", "alice");
        ToolInvokedReply reply = kafka.ask(Topics.TOOLS_INVOKE, command("hanging_write", "{\"n\":1}", key), token, ToolInvokedReply.class);

        assertThat(reply.status()).isEqualTo(Status.TIMED_OUT);
        assertThat(reply.error()).contains("did not finish within 2000 ms");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(kafka.ask(Topics.TOOLS_CALL_STATUS, new ToolCallStatusQuery("q", key), token,
                        ToolCallStatusReport.class).state()).isEqualTo(ToolCallStatusReport.State.NOT_EXECUTED));
        assertThat(count("select count(*) from test_side_effect where tool = 'hanging_write'")).isZero();
    }

    @Test
    void aToolReturningGarbageFailsAndKeepsNothing() {
        ToolInvokedReply reply = kafka.ask(Topics.TOOLS_INVOKE, command("garbage_write", "{}", key()),
                TestTokens.token("demo", "alice"), ToolInvokedReply.class);

        assertThat(reply.status()).isEqualTo(Status.FAILED);
        assertThat(reply.error()).contains("not JSON");
        assertThat(count("select count(*) from test_side_effect where tool = 'garbage_write'")).isZero();
    }

    @Test
    void unknownToolsSchemaViolationsAndPolicyDenialsAreClearRepliesNotExceptions() {
        String demo = TestTokens.token("demo", "alice");
        ToolInvokedReply unknown = kafka.ask(Topics.TOOLS_INVOKE, command("rm_rf", "{}", key()), demo, ToolInvokedReply.class);
        ToolInvokedReply invalid = kafka.ask(Topics.TOOLS_INVOKE, command("send_email", "{\"to\":\"x\"}", key()), demo, ToolInvokedReply.class);
        ToolInvokedReply otherTenant = kafka.ask(Topics.TOOLS_INVOKE,
                command("send_email", "{\"to\":[\"a@b.example\"],\"subject\":\"s\",\"body\":\"b\"}", key()),
                TestTokens.token("other", "olga"), ToolInvokedReply.class);
        ToolInvokedReply noScope = kafka.ask(Topics.TOOLS_INVOKE, command("search_documents", "{\"query\":\"leave\"}", key()),
                TestTokens.builder("demo", "alice").scope("agent").sign(), ToolInvokedReply.class);

        assertThat(unknown.status()).isEqualTo(Status.UNKNOWN_TOOL);
        assertThat(unknown.error()).contains("calculator");
        assertThat(invalid.status()).isEqualTo(Status.INVALID_ARGUMENTS);
        assertThat(invalid.error()).contains("/to");
        assertThat(otherTenant.status()).isEqualTo(Status.DENIED);
        assertThat(otherTenant.error()).contains("Tenant 'other' may not call tool 'send_email'");
        assertThat(noScope.status()).isEqualTo(Status.DENIED);
        assertThat(noScope.error()).contains("documents");
        assertThat(count("select count(*) from email_outbox")).isZero();
    }

    static String meeting(String title, String start) {
        return "{\"title\":\"" + title + "\",\"attendees\":[\"alice\",\"bob\"],\"start\":\"" + start
                + "\",\"durationMinutes\":30,\"timeZone\":\"Europe/Berlin\"}";
    }
}
