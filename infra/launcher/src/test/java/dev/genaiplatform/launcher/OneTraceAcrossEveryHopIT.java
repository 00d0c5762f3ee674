package dev.genaiplatform.launcher;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace across every hop (issue 13 item 5): the shared platform ({@link RunningPlatform}) runs with OTLP export
 * on, pointed at a collector in the test JVM ({@link OtlpTraceReceiver}), and every request sampled
 * ({@code TRACING_SAMPLING_PROBABILITY=1.0}, a launcher setting; the default stays 0.1). One chat completion through
 * the gateway, with retrieval (a question of its own, the cache bypassed, so the whole pipeline runs), and the trace
 * must hold spans of the gateway, the orchestrator, guardrails and retrieval (asked over Kafka) and evaluation (the
 * completion event, over Kafka). The simulator is not instrumented: the model call is the orchestrator's client span.
 */
class OneTraceAcrossEveryHopIT {

    private static final List<String> SERVICES = List.of("gateway", "orchestrator", "guardrails", "retrieval",
            "evaluation");

    private static OtlpTraceReceiver collector;

    @BeforeAll
    static void platformRuns() throws Exception {
        collector = RunningPlatform.collector();
    }

    @Test
    void oneChatCompletionIsOneTraceWithSpansOfEveryServiceAcrossHttpAndKafka() throws Exception {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String ours = HexFormat.of().formatHex(random, 0, 16);
        String traceparent = "00-" + ours + "-" + HexFormat.of().formatHex(random, 16, 24) + "-01";

        HttpRequest request = HttpRequest.newBuilder(RunningPlatform.gateway("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + RunningPlatform.DEMO_KEY)
                .header("Content-Type", "application/json")
                .header("traceparent", traceparent)
                .header("Cache-Control", "no-cache")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"model":"sim-small","messages":[{"role":"user","content":"How does retrieval rank passages? (%s)"}]}"""
                        .formatted(ours)))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).as("an answer with retrieval").contains("citations");
        // the gateway names the trace it recorded (X-Trace-Id); without that header, the one we started
        String traceId = response.headers().firstValue("X-Trace-Id").orElse(ours);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(services(traceId))
                        .as("services in trace %s; its spans: %s", traceId, summary(traceId))
                        .containsAll(SERVICES));
        System.out.println("[trace] " + traceId + ": " + collector.trace(traceId).stream()
                .map(span -> span.service() + " " + span.name()).sorted().toList());
    }

    private static Set<String> services(String traceId) {
        return collector.trace(traceId).stream().map(OtlpTraceReceiver.Span::service)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** For a failure message: the trace's spans, and how many spans of other traces the collector holds. */
    private static String summary(String traceId) {
        Set<String> spans = collector.trace(traceId).stream().map(span -> span.service() + ":" + span.name())
                .collect(Collectors.toCollection(TreeSet::new));
        return spans + " (" + collector.spans().size() + " spans received in all)";
    }
}
