package dev.genaiplatform.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.genaiplatform.gateway.tenant.ApiKeyCache;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13's many-streams case: {@value #STREAMS} streamed chat completions open through one gateway at the same
 * time, each a model answering {@value #TOKENS} tokens 20 ms apart (the fake backend), every one of them must end
 * with all its tokens and its finish ({@code [DONE]}): no error, no stalled or cut stream. The settings that would
 * cap this are opened for the test (the per-key stream cap, the door's bound, the token budget; the key is the bulk
 * tenant's, whose rate no burst here reaches); the proxy's connection pool is elastic (Spring Cloud Gateway's default:
 * no cap) and the file-descriptor limit here is 20,000 for about 8,000 sockets (client, gateway in and out, backend). How much the gateway adds between tokens is
 * measured in {@code GatewayBenchmark}'s streams phase ({@code StreamingPhase}), not here.
 */
@TestPropertySource(properties = { "platform.gateway.client.max-concurrent-streams=10000",
        "platform.gateway.admission.max-waiting-chat=10000",
        "platform.gateway.budget.defaults.tokens-per-minute=1000000000",
        "spring.cloud.gateway.server.webflux.httpclient.response-timeout=60s",
        "platform.gateway.upstream-idle-timeout=60s" })
class ConcurrentStreamsIT extends GatewayTestSupport {

    static final int STREAMS = 2000;

    static final int TOKENS = 20;

    private static final String BODY = "{\"model\":\"sim-small\",\"stream\":true,\"max_tokens\":32,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    /** This context's own broker, for the second instance. */
    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    ApiKeyCache keys;

    @Test
    void twoThousandStreamsAtOnceAllEndWithEveryTokenAndTheirFinish() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(60)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(180))
            .header("Authorization", "Bearer " + BULK_KEY)
            .header("Content-Type", "application/json")
            .header(FakeBackend.BEHAVIOUR, "stream-tokens")
            .header(FakeBackend.TOKENS_HEADER, Integer.toString(TOKENS))
            .POST(HttpRequest.BodyPublishers.ofString(BODY))
            .build();
        List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            streams.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new)).get(240, TimeUnit.SECONDS);

        assertThat(streams).allSatisfy(stream -> {
            HttpResponse<String> response = stream.join();
            // a refusal's problem body says which check gave it, and the key's limits in force are in its headers
            assertThat(response.statusCode()).as("%s %s", response.body(), response.headers().map().entrySet().stream()
                .filter(header -> header.getKey().toLowerCase(Locale.ROOT).startsWith("x-ratelimit")).toList()).isEqualTo(200);
            List<String> events = response.body().lines().filter(line -> line.startsWith("data:")).toList();
            // every token, then the finish; the usage chunk the gateway asked for itself is kept from the client
            assertThat(events).hasSize(TOKENS + 1);
            assertThat(events.get(TOKENS - 1)).contains("t" + (TOKENS - 1) + " ");
            assertThat(events.getLast()).isEqualTo("data: [DONE]");
        });
    }

    /**
     * Every gateway seeds the shared PostgreSQL with the tenants its configuration names as it starts, the last to
     * start winning (README, Limits), and so does every test context. The streams above need their key's rate limit
     * after another instance has started and this instance's key cache has reloaded the key from the database:
     * failsafe's rerun of that test comes after every other class's context has started. With demo's limit raised in
     * this class's properties alone, the other instance wrote demo's 100-request burst back, and the rerun in the
     * 12:34 CI run of wave 12 had 1,701 of its 2,000 streams refused with 429 {@code rate_limit_exceeded}.
     */
    @Test
    void theKeysOpenedRateLimitOutlivesAnotherGatewaySeedingTheSharedDatabase() {
        new SecondGateway(broker.getBrokersAsString()).close();
        keys.evictTenant("bulk"); // as the cache entry's expiry would

        client.post().uri("/v1/chat/completions").header(HttpHeaders.AUTHORIZATION, "Bearer " + BULK_KEY)
            .header("Content-Type", "application/json").bodyValue(VALID_CHAT)
            .exchange().expectStatus().isOk()
            .expectHeader().valueEquals("x-ratelimit-limit-requests", "100000");
    }
}
