package dev.genaiplatform.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A burst of 500 chat requests at once against a backend that holds every request it gets (a slow pipeline):
 * the gateway admits its bound of 20, sheds every other one at once with 503 {@code service_busy} +
 * {@code Retry-After} as problem+json (none of them reaches the backend), and every admitted one completes when the
 * backend answers. Nothing is left hanging: every response arrives within the client's timeout, and the door opens
 * again afterwards.
 */
@TestPropertySource(properties = { "platform.gateway.admission.max-waiting-chat=20",
        "platform.gateway.admission.max-waiting-other=30",
        "platform.gateway.budget.defaults.tokens-per-minute=1000000000",
        "spring.cloud.gateway.server.webflux.httpclient.response-timeout=60s",
        "platform.gateway.upstream-idle-timeout=60s" })
class AdmissionIT extends GatewayTestSupport {

    private static final int BURST = 500;

    private static final String BODY = "{\"model\":\"sim-small\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @AfterEach
    void release() {
        backend.releaseHeld();
    }

    @Test
    void aBurstBeyondTheBoundIsShedAtOnceWith503AndEveryAdmittedRequestCompletes() throws Exception {
        backend.holdRequests();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            burst.add(http.sendAsync(chatRequest(), HttpResponse.BodyHandlers.ofString()));
        }

        // While the backend holds the admitted ones, everything else has already been answered, and all with 503.
        await().atMost(Duration.ofSeconds(60))
            .until(() -> burst.stream().filter(CompletableFuture::isDone).count() == BURST - 20);
        assertThat(backend.holding()).isEqualTo(20);
        List<HttpResponse<String>> shed = burst.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).toList();
        assertThat(shed).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(response.body()).contains("\"type\":\"urn:genai-platform:problem:service_busy\"", "\"status\":503",
                    "\"code\":\"service_busy\"");
            assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
        });

        backend.releaseHeld();
        CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        Map<Integer, Long> statuses = burst.stream().map(CompletableFuture::join)
            .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(200, 20L, 503, (long) BURST - 20));

        // the door is open again: the bound counts requests in flight, not requests ever made
        assertThat(http.send(chatRequest(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void otherRequestsHaveTheirOwnBoundAndHealthIsNeverShed() throws Exception {
        backend.holdRequests();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            held.add(http.sendAsync(request("/v1/batches", BODY), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.holding() == 30);

        HttpResponse<String> oneMore = http.send(request("/v1/batches", BODY), HttpResponse.BodyHandlers.ofString());
        assertThat(oneMore.statusCode()).isEqualTo(503);
        assertThat(oneMore.headers().firstValue("Retry-After")).hasValue("1");
        // the chat class is not affected by the other class being full, nor is the JWK set every service needs
        backend.releaseHeld();
        Function<HttpResponse<String>, Integer> status = HttpResponse::statusCode;
        assertThat(CompletableFuture.allOf(held.toArray(CompletableFuture[]::new))
            .thenApply(done -> held.stream().map(CompletableFuture::join).map(status).distinct().toList())
            .get(30, TimeUnit.SECONDS)).containsExactly(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/.well-known/jwks.json"))
            .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    private HttpRequest chatRequest() {
        return request("/v1/chat/completions", BODY);
    }

    private HttpRequest request(String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(90))
            .header("Authorization", "Bearer " + BULK_KEY)
            .header("Content-Type", "application/json")
            .header(FakeBackend.BEHAVIOUR, "hold")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    }
}
