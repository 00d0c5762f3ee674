package dev.genaiplatform.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace across every hop (issue 13 item 5): the platform started with OTLP export on, pointed at a collector in
 * this test ({@link OtlpTraceReceiver}), and every request sampled ({@code TRACING_SAMPLING_PROBABILITY=1.0}, a
 * launcher setting; the default stays 0.1). One chat completion through the gateway, with retrieval, and the trace
 * must hold spans of the gateway, the orchestrator, guardrails and retrieval (asked over Kafka) and evaluation (the
 * completion event, over Kafka). The simulator is not instrumented: the model call is the orchestrator's client span.
 */
class OneTraceAcrossEveryHopIT {

    private static final String KEY = "trace-demo-key";
    private static final List<String> SERVICES = List.of("gateway", "orchestrator", "guardrails", "retrieval",
            "evaluation");

    private static OtlpTraceReceiver collector;
    private static LauncherSettings settings;
    private static Platform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        collector = new OtlpTraceReceiver();
        Path home = Path.of(System.getProperty("platform.home", "../..")).toAbsolutePath().normalize();
        int[] ports = RunningPlatform.freePorts(11);
        Path dataDir = Files.createTempDirectory("platform-trace-data-");
        settings = new LauncherSettings(home, dataDir, ports[0], ports[1], ports[2], ports[10], ports[3], ports[4],
                ports[5], ports[6], ports[7], ports[8], ports[9], RunningPlatform.MANAGEMENT_OFFSET,
                "127.0.0.1", "127.0.0.1", "1.0", false, KEY,
                Map.of("SIM_TIME_TO_FIRST_TOKEN_MS", "0", "SIM_INTER_TOKEN_MS", "0",
                        "OTEL_EXPORT_ENABLED", "true", "OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint()),
                Map.of());
        platform = Platform.start(settings, line -> System.out.println("[trace] " + line));
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
        if (settings != null) {
            Infrastructure.wipe(settings);
        }
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void oneChatCompletionIsOneTraceWithSpansOfEveryServiceAcrossHttpAndKafka() throws Exception {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String ours = HexFormat.of().formatHex(random, 0, 16);
        String traceparent = "00-" + ours + "-" + HexFormat.of().formatHex(random, 16, 24) + "-01";

        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + settings.gatewayPort()
                        + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .header("traceparent", traceparent)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"model":"sim-small","messages":[{"role":"user","content":"How does retrieval rank passages?"}]}"""))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).as("an answer with retrieval").contains("citations");
        // the gateway names the trace it recorded (X-Trace-Id); without that header, the one we started
        String traceId = response.headers().firstValue("X-Trace-Id").orElse(ours);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(services(traceId))
                        .as("services in trace %s; spans by trace: %s", traceId, summary())
                        .containsAll(SERVICES));
        System.out.println("[trace] " + traceId + ": " + collector.trace(traceId).stream()
                .map(span -> span.service() + " " + span.name()).sorted().toList());
    }

    private static Set<String> services(String traceId) {
        return collector.trace(traceId).stream().map(OtlpTraceReceiver.Span::service)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** For a failure message: which services each trace holds. */
    private static Map<String, Set<String>> summary() {
        Map<String, Set<String>> byTrace = new TreeMap<>();
        collector.spans().forEach(span -> byTrace.computeIfAbsent(span.traceId(), id -> new TreeSet<>())
                .add(span.service() + ":" + span.name()));
        return byTrace;
    }
}
