package dev.genaiplatform.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import dev.genaiplatform.gateway.FakeBackend.Received;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway end to end: authentication, forwarding, rate limits, sizes, validation, streaming, backend
 * failures, the management port. Path spellings, scopes and tokens have their own classes on the same context.
 */
class GatewayIT extends GatewayTestSupport {

    @Autowired
    ApplicationContext context;

    @Test
    void dropsAnIdleBackendConnectionBeforeTheBackendsOwnKeepAliveEnds() {
        // Tomcat, behind the gateway for four services, ends an idle kept-alive connection after 60 s; a pooled one
        // reused at that moment fails the request with a 502, so the proxy's pool must let go of it sooner
        Duration maxIdle = context.getBean(HttpClientProperties.class)
            .getPool().getMaxIdleTime();
        assertThat(maxIdle).isNotNull().isPositive().isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void rejectsARequestWithoutAnApiKeyAsProblemJson() {
        client.get().uri("/v1/models").exchange()
            .expectStatus().isUnauthorized()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer .*")
            .expectHeader().exists("X-Request-Id")
            .expectBody()
            .jsonPath("$.type").isEqualTo("urn:genai-platform:problem:invalid_api_key")
            .jsonPath("$.title").isEqualTo("Invalid API key")
            .jsonPath("$.status").isEqualTo(401)
            .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("Authorization: Bearer"))
            .jsonPath("$.instance").isEqualTo("/v1/models")
            .jsonPath("$.error.message").value(message -> assertThat((String) message).contains("Missing API key"))
            .jsonPath("$.error.type").isEqualTo("authentication_error")
            .jsonPath("$.error.code").isEqualTo("invalid_api_key");
    }

    @Test
    void rejectsAnUnknownApiKeyAndNeverCallsTheBackend() {
        chat("wrong-key", VALID_CHAT).exchange()
            .expectStatus().isUnauthorized()
            .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer .*invalid_token.*")
            .expectBody().jsonPath("$.error.code").isEqualTo("invalid_api_key");
        client.get().uri("/v1/models").header(HttpHeaders.AUTHORIZATION, "Basic " + DEMO_KEY).exchange()
            .expectStatus().isUnauthorized();
        assertThat(backend.receivedNothing()).isTrue();
    }

    @Test
    void forwardsAValidChatRequestUnchangedWithATokenInsteadOfTheKeyAndNoClaimedTenant() throws Exception {
        chat(DEMO_KEY, VALID_CHAT).header("X-Tenant-Id", "acme").exchange()
            .expectStatus().isOk()
            .expectHeader().valueMatches("X-Request-Id", "[0-9a-f-]{36}")
            .expectHeader().exists("X-RateLimit-Remaining")
            .expectHeader().exists("x-ratelimit-remaining-requests")
            .expectBody().jsonPath("$.id").isEqualTo("chatcmpl-test");

        Received received = backend.takeReceived();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.path()).isEqualTo("/v1/chat/completions");
        assertThat(received.body()).isEqualTo(VALID_CHAT);
        assertThat(received.header("X-Tenant-Id")).isEmpty();
        assertThat(received.header("Authorization")).singleElement().asString().doesNotContain(DEMO_KEY);
        assertThat(verifyAsAService(received.header("Authorization").getFirst()).getClaimAsString("tenant"))
            .isEqualTo("demo");
        assertThat(UUID.fromString(received.header("X-Request-Id").getFirst())).isNotNull();
    }

    @Test
    void keepsTheClientsRequestIdAndReturnsItOnce() throws Exception {
        List<String> returned = chat(DEMO_KEY, VALID_CHAT).header("X-Request-Id", "client-req-42").exchange()
            .expectStatus().isOk()
            .returnResult(String.class).getResponseHeaders().get("X-Request-Id");
        assertThat(returned).containsExactly("client-req-42");
        assertThat(backend.takeReceived().header("X-Request-Id")).containsExactly("client-req-42");
    }

    @Test
    void acceptsContentAsAnArrayOfTextParts() throws Exception {
        String parts = """
                {"model":"sim-small","stream":false,"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]}""";
        chat(DEMO_KEY, parts).exchange().expectStatus().isOk();
        assertThat(backend.takeReceived().body()).isEqualTo(parts);
    }

    @Test
    void forwardsTheFullRequestOfAnOpenAiSdkUsingToolsByteForByte() throws Exception {
        byte[] sdkRequest = new ClassPathResource("openai-sdk-chat-request.json").getContentAsByteArray();
        chat(DEMO_KEY, sdkRequest).exchange().expectStatus().isOk();
        assertThat(backend.takeReceived().body()).isEqualTo(new String(sdkRequest, StandardCharsets.UTF_8));
    }

    @Test
    void listsOnlyTheModelsOfTheCallersTenant() {
        client.get().uri("/v1/models").header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY).exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.object").isEqualTo("list")
            .jsonPath("$.data.length()").isEqualTo(1)
            .jsonPath("$.data[0].id").isEqualTo("sim-small")
            .jsonPath("$.data[0].object").isEqualTo("model")
            .jsonPath("$.data[0].created").isNumber()
            .jsonPath("$.data[0].owned_by").isEqualTo("genai-platform");
        client.get().uri("/v1/models").header(HttpHeaders.AUTHORIZATION, "Bearer " + ACME_KEY).exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.data[*].id").isEqualTo(List.of("sim-small", "sim-large"));
    }

    @Test
    void answers429WithRetryAfterOnceTheBurstIsSpent() {
        for (int i = 0; i < 3; i++) {
            models(LIMITED_KEY).expectStatus().isOk();
        }
        models(LIMITED_KEY)
            .expectStatus().isEqualTo(429)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectHeader().value(HttpHeaders.RETRY_AFTER, retryAfter -> assertThat(Integer.parseInt(retryAfter)).isBetween(1, 100))
            .expectHeader().valueEquals("X-RateLimit-Burst-Capacity", "300")
            .expectHeader().exists("X-RateLimit-Remaining")
            .expectBody()
            .jsonPath("$.status").isEqualTo(429)
            .jsonPath("$.error.code").isEqualTo("rate_limit_exceeded");
    }

    @Test
    void givesEachKeyOfATenantItsOwnBucketAndTheSameTenant() throws Exception {
        models(ROTATING_OLD_KEY).expectStatus().isOk()
            .expectBody().jsonPath("$.data[*].id").isEqualTo(List.of("sim-large"));
        models(ROTATING_OLD_KEY).expectStatus().isEqualTo(429)
            .expectBody().jsonPath("$.error.code").isEqualTo("rate_limit_exceeded");

        // The old key's bucket is empty; the new key of the same tenant still has its own.
        chat(ROTATING_NEW_KEY, VALID_CHAT.replace("sim-small", "sim-large")).exchange().expectStatus().isOk();
        assertThat(verifyAsAService(backend.takeReceived().header("Authorization").getFirst())
            .getClaimAsString("tenant")).isEqualTo("rotating");
        models(ROTATING_NEW_KEY).expectStatus().isEqualTo(429);
    }

    @Test
    void rejectsABodyOverOneMebibyteThatDeclaresItsLength() {
        chat(DEMO_KEY, new byte[10 * 1024 * 1024]).exchange()
            .expectStatus().isEqualTo(413)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.error.code").isEqualTo("request_too_large");
        assertThat(backend.receivedNothing()).isTrue();
    }

    @Test
    void rejectsABodyOverOneMebibyteSentInChunksWithoutALength() {
        Flux<DataBuffer> tenMegabytes = Flux.range(0, 160)
            .map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[64 * 1024]));
        client.post().uri("/v1/chat/completions")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY)
            .contentType(MediaType.APPLICATION_JSON)
            .body(tenMegabytes, DataBuffer.class)
            .exchange()
            .expectStatus().isEqualTo(413)
            .expectBody().jsonPath("$.error.code").isEqualTo("request_too_large");
        assertThat(backend.receivedNothing()).isTrue();
    }

    static Stream<Arguments> malformedChatRequests() {
        return Stream.of(
                Arguments.of("{\"model\":\"sim-small\",\"messages\":[", "invalid_json", null),
                Arguments.of("{\"model\":\"sim-small\"}", "missing_required_parameter", "messages"),
                Arguments.of("{\"model\":\"sim-small\",\"messages\":[]}", "empty_array", "messages"),
                Arguments.of("{\"model\":\"sim-small\",\"messages\":\"Hello\"}", "invalid_type", "messages"),
                Arguments.of("{\"model\":\"sim-small\",\"messages\":[{\"content\":\"Hi\"}]}", "missing_required_parameter", "messages[0].role"),
                Arguments.of("{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\"}]}", "missing_required_parameter", "messages[0].content"),
                Arguments.of("{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":42}]}", "invalid_type", "messages[0].content"),
                Arguments.of("{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"  \"}]}", "invalid_value", "messages[0].content"),
                Arguments.of("{\"model\":\"sim-small\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "invalid_type", "stream"),
                Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "missing_required_parameter", "model"),
                Arguments.of(VALID_CHAT.replace("{\"model\"", "{\"temperature\":\"hot\",\"model\""), "invalid_type", "temperature"),
                Arguments.of(VALID_CHAT.replace("{\"model\"", "{\"tools\":[{\"type\":\"function\"}],\"model\""),
                        "missing_required_parameter", "tools[0].function"));
    }

    @ParameterizedTest
    @MethodSource("malformedChatRequests")
    void rejectsAMalformedChatRequestWith400(String body, String code, String param) {
        chat(DEMO_KEY, body).exchange()
            .expectStatus().isBadRequest()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo("urn:genai-platform:problem:" + code)
            .jsonPath("$.error.code").isEqualTo(code)
            .jsonPath("$.error.param").isEqualTo(param);
        assertThat(backend.receivedNothing()).isTrue();
    }

    @Test
    void answers404ForAnUnknownModelAndForAModelOfAnotherTenant() {
        for (String model : List.of("gpt-9", "sim-large")) {
            chat(DEMO_KEY, VALID_CHAT.replace("sim-small", model)).exchange()
                .expectStatus().isNotFound()
                .expectBody()
                .jsonPath("$.error.code").isEqualTo("model_not_found")
                .jsonPath("$.error.param").isEqualTo("model");
        }
        chat(ACME_KEY, VALID_CHAT.replace("sim-small", "sim-large")).exchange().expectStatus().isOk();
    }

    @Test
    void passesStreamedEventsThroughOneByOne() {
        Flux<String> events = chat(DEMO_KEY, VALID_CHAT.replace("{\"model\"", "{\"stream\":true,\"model\""))
            .header(FakeBackend.BEHAVIOUR, "stream-stepwise")
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
            .returnResult(String.class).getResponseBody();

        // The backend sends each event only after the test saw the previous one.
        StepVerifier.create(events)
            .expectNext(FakeBackend.STREAM_EVENTS.get(0))
            .then(backend::allowNextEvent)
            .expectNext(FakeBackend.STREAM_EVENTS.get(1))
            .then(backend::allowNextEvent)
            .expectNext(FakeBackend.STREAM_EVENTS.get(2))
            .expectComplete()
            .verify(Duration.ofSeconds(20));
    }

    @Test
    void cutsAStreamThatStallsLongerThanTheIdleTimeout() {
        Flux<String> events = chat(DEMO_KEY, VALID_CHAT).header(FakeBackend.BEHAVIOUR, "stall")
            .exchange().expectStatus().isOk()
            .returnResult(String.class).getResponseBody();
        // The backend would stay silent for 30 s; the gateway gives up after 3 s and closes the stream,
        // which the client sees as an error or an end, depending on where the close lands.
        StepVerifier.create(events.onErrorComplete())
            .expectNext(FakeBackend.STREAM_EVENTS.get(0))
            .expectComplete()
            .verify(Duration.ofSeconds(20));
    }

    @Test
    void passesABackendErrorThroughUnchanged() {
        chat(DEMO_KEY, VALID_CHAT).header(FakeBackend.BEHAVIOUR, "problem").exchange()
            .expectStatus().isEqualTo(422)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().json(FakeBackend.BACKEND_PROBLEM, org.springframework.test.json.JsonCompareMode.STRICT);
    }

    @Test
    void forwardsPlatformApiRoutesWithTheTenantInTheToken() throws Exception {
        client.post().uri("/api/evaluation/runs").header(HttpHeaders.AUTHORIZATION, "Bearer " + ACME_KEY)
            .header("X-Tenant-Id", "demo")
            .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"dataset\":\"golden\"}")
            .exchange().expectStatus().isOk();
        Received evaluation = backend.takeReceived();
        assertThat(evaluation.path()).isEqualTo("/api/evaluation/runs");
        assertThat(evaluation.body()).isEqualTo("{\"dataset\":\"golden\"}");
        assertThat(evaluation.header("X-Tenant-Id")).isEmpty();
        assertThat(verifyAsAService(evaluation.header("Authorization").getFirst()).getClaimAsString("tenant"))
            .isEqualTo("acme");

        client.get().uri("/api/tools/catalog").header(HttpHeaders.AUTHORIZATION, "Bearer " + ACME_KEY)
            .exchange().expectStatus().isOk();
        assertThat(backend.takeReceived().path()).isEqualTo("/api/tools/catalog");
    }

    @Test
    void answers503WhenTheBackendIsDown() {
        client.get().uri("/api/guardrails/policies?q=x").header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY)
            .exchange()
            .expectStatus().isEqualTo(503)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.error.code").isEqualTo("upstream_unavailable")
            .jsonPath("$.instance").isEqualTo("/api/guardrails/policies");
    }

    @Test
    void answers504WhenTheBackendAnswersTooLate() {
        chat(DEMO_KEY, VALID_CHAT).header(FakeBackend.BEHAVIOUR, "slow").exchange()
            .expectStatus().isEqualTo(504)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.error.code").isEqualTo("upstream_timeout");
    }

    @Test
    void answers404ProblemForAPathNoRouteServes() {
        client.get().uri("/v1/embeddings").header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY).exchange()
            .expectStatus().isNotFound()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.status").isEqualTo(404);
    }

    @Test
    void servesActuatorOnlyOnTheManagementPortAndItsMetricsNameNoTenantOrKey() {
        client.get().uri("/actuator/health/readiness").header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY)
            .exchange().expectStatus().isNotFound();
        chat("wrong-key", VALID_CHAT).exchange().expectStatus().isUnauthorized();
        WebTestClient management = managementClientOnceListening();
        management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        String scrape = management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
            .expectBody(String.class).returnResult().getResponseBody();
        assertThat(scrape).contains("gateway_authentication_failures_total");
        // the request timer stays; the in-flight (long task) timer around every request is not kept (nothing reads it)
        assertThat(scrape).contains("http_server_requests_seconds").doesNotContain("http_server_requests_active");
        for (String secret : List.of("tenant=", "key=", "demo", "acme", "limited", "rotating")) {
            assertThat(scrape).doesNotContain(secret);
        }
    }

    /**
     * The management server is a child context with a port of its own, read from the running context when the test
     * needs it, and waited for (bounded) until something listens there. This test used to fail whenever a class that
     * starts a {@link SecondGateway} had run before it in the same JVM: closing that instance disposed Reactor Netty's
     * global event loops, which this context's management server ran on (SecondGateway now has loops of its own).
     */
    private WebTestClient managementClientOnceListening() {
        String port = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> context.getEnvironment().getProperty("local.management.port"),
                candidate -> candidate != null && accepts(Integer.parseInt(candidate)));
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        }
        catch (IOException refused) {
            return false;
        }
    }

    @Test
    void pushesNoTelemetryAnywhereUnlessExportIsSwitchedOn() {
        // OTEL_EXPORT_ENABLED is unset: no OTLP span exporter and no OTLP meter registry exist.
        assertThat(context.getBeansOfType(SpanExporter.class).values())
            .noneMatch(exporter -> exporter.getClass().getSimpleName().startsWith("Otlp"));
        assertThat(context.getBeansOfType(MeterRegistry.class).values())
            .noneMatch(registry -> registry.getClass().getSimpleName().startsWith("Otlp"));
    }
}
