package dev.genaiplatform.simulator.limits;

import dev.genaiplatform.simulator.ProviderLimitsServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@ProviderLimitsServerTest
class RateLimitsHttpTests {

    private static final String HELLO = "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    /** prompt "hi" as one user message: 3 framing + 1 role + 1 content + 3 reply priming */
    private static final int HELLO_PROMPT_TOKENS = 8;

    @LocalServerPort
    int port;

    private WebTestClient client;

    @BeforeEach
    void connect() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void sendsOpenAisRateLimitHeadersWithEveryCompletion() {
        String key = newKey();

        post(key, HELLO).expectStatus().isOk()
                .expectHeader().valueEquals("x-ratelimit-limit-requests", "3")
                .expectHeader().valueEquals("x-ratelimit-remaining-requests", "2")
                .expectHeader().valueEquals("x-ratelimit-reset-requests", "20s")
                .expectHeader().valueEquals("x-ratelimit-limit-tokens", "4000")
                // charged before the answer exists: the prompt plus the default completion estimate of 256
                .expectHeader().valueEquals("x-ratelimit-remaining-tokens", Integer.toString(4000 - HELLO_PROMPT_TOKENS - 256));
        post(key, HELLO.replace("{\"model\"", "{\"stream\":true,\"model\"")).expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .expectHeader().valueEquals("x-ratelimit-remaining-requests", "1");
    }

    @Test
    void refusesTheRequestAfterAKeysAllowanceWithOpenAis429AndRetryAfter() {
        String key = newKey();
        for (int i = 0; i < 3; i++) {
            post(key, HELLO).expectStatus().isOk();
        }

        post(key, HELLO).expectStatus().isEqualTo(429)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                // whole seconds until one request is back: 20, or less if the test ran slowly
                .expectHeader().value(HttpHeaders.RETRY_AFTER, retryAfter -> assertThat(Integer.parseInt(retryAfter)).isBetween(1, 20))
                .expectHeader().valueEquals("x-ratelimit-remaining-requests", "0")
                .expectBody()
                .jsonPath("$.error.type").isEqualTo("requests")
                .jsonPath("$.error.param").isEmpty()
                .jsonPath("$.error.code").isEqualTo("rate_limit_exceeded")
                // the allowance refills while the test runs, so the wait is 20 s or a little less
                .jsonPath("$.error.message").value(String.class, message -> assertThat(message).matches(
                        "Rate limit reached for sim-small on requests per min \\(RPM\\): Limit 3, Used 3, Requested 1\\. "
                        + "Please try again in \\d{1,2}(\\.\\d+)?s\\."));
        post(newKey(), HELLO).expectStatus().isOk();
    }

    @Test
    void refusesOnTokensPerMinuteChargingThePromptPlusMaxTokens() {
        String key = newKey();
        String big = HELLO.replace("{\"model\"", "{\"max_tokens\":1900,\"model\"");
        for (int i = 0; i < 2; i++) {
            post(key, big).expectStatus().isOk();
        }

        post(key, big).expectStatus().isEqualTo(429)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody()
                .jsonPath("$.error.type").isEqualTo("tokens")
                .jsonPath("$.error.code").isEqualTo("rate_limit_exceeded")
                .jsonPath("$.error.message").value(String.class, message -> assertThat(message)
                        .startsWith("Rate limit reached for sim-small on tokens per min (TPM): Limit 4000, Used ")
                        .contains(", Requested 1908. Please try again in "));
    }

    @Test
    void callersWithoutAKeyShareOneAnonymousAllowance() {
        client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON).bodyValue(HELLO).exchange()
                .expectStatus().isOk()
                .expectHeader().exists("x-ratelimit-remaining-requests");
    }

    private WebTestClient.ResponseSpec post(String key, String body) {
        return client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + key).bodyValue(body).exchange();
    }

    private static String newKey() {
        return "sk-test-" + UUID.randomUUID();
    }
}
