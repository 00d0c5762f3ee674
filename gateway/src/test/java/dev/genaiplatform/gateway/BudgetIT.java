package dev.genaiplatform.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.genaiplatform.gateway.budget.BudgetLedger;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Budgets against the real Redis: reservation before the call, reconciliation with the usage the answer reports
 * (whole and streamed), hard limits, the soft-limit warning and the headers. Prices here: sim-small costs $1 per
 * million prompt tokens and $2 per million completion tokens, so micro-dollars = prompt + 2 × completion.
 */
class BudgetIT extends GatewayTestSupport {

    private static final String SMALL_CHAT = "{\"model\":\"sim-small\",\"max_tokens\":%d,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Test
    void reconcilesAWholeAnswerToTheUsageItReportsAndSaysWhatIsLeft() {
        long before = dayTokens("metered");
        chat(METERED_KEY, SMALL_CHAT.formatted(50)).header(FakeBackend.BEHAVIOUR, "usage").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("x-ratelimit-limit-tokens", "200000")
            .expectHeader().exists("x-ratelimit-remaining-tokens")
            .expectHeader().valueMatches("x-ratelimit-reset-tokens", "[0-9]+s")
            .expectHeader().exists("x-ratelimit-remaining-requests");
        await().atMost(Duration.ofSeconds(10)).until(() -> dayTokens("metered") == before + 12);
    }

    @Test
    void readsAStreamsUsageChunkItAskedForAndKeepsItFromAClientThatDidNot() throws Exception {
        long before = dayTokens("metered");
        String streamed = SMALL_CHAT.formatted(50).replace("{\"model\"", "{\"stream\":true,\"model\"");
        List<String> events = chat(METERED_KEY, streamed).header(FakeBackend.BEHAVIOUR, "stream-usage")
            .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
            .returnResult(String.class).getResponseBody().collectList().block(Duration.ofSeconds(20));
        assertThat(events).containsExactly(FakeBackend.STREAM_EVENTS.get(0), FakeBackend.STREAM_EVENTS.get(1), "[DONE]");
        assertThat(backend.takeReceived().body()).contains("\"stream_options\":{\"include_usage\":true}");
        await().atMost(Duration.ofSeconds(10)).until(() -> dayTokens("metered") == before + 11);
    }

    @Test
    void passesTheUsageChunkToAClientThatAskedForIt() throws Exception {
        String streamed = SMALL_CHAT.formatted(50).replace("{\"model\"",
                "{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"model\"");
        List<String> events = chat(METERED_KEY, streamed).header(FakeBackend.BEHAVIOUR, "stream-usage")
            .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
            .returnResult(String.class).getResponseBody().collectList().block(Duration.ofSeconds(20));
        assertThat(events).contains(FakeBackend.USAGE_EVENT);
        assertThat(backend.takeReceived().body()).isEqualTo(streamed);
    }

    @Test
    void refusesARequestPastTheDailyTokensWithRetryAfterAndReservesNothingForIt() {
        chat(BUDGETED_KEY, SMALL_CHAT.formatted(900)).exchange()
            .expectStatus().isOk()
            .expectHeader().value("X-Platform-Budget-Warning", warning -> assertThat(warning).contains("tokens-per-day="));
        long reserved = dayTokens("budgeted");
        assertThat(reserved).isBetween(900L, 1000L);

        chat(BUDGETED_KEY, SMALL_CHAT.formatted(200)).exchange()
            .expectStatus().isEqualTo(429)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectHeader().value(HttpHeaders.RETRY_AFTER, seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 86_400L))
            .expectBody().jsonPath("$.error.code").isEqualTo("token_budget_exceeded");
        assertThat(dayTokens("budgeted")).isEqualTo(reserved);
    }

    @Test
    void refusesARequestWhoseEstimatedCostPassesTheMonthlyBudget() {
        // 600 completion tokens at $2 per million = 1,200 micro-dollars, over the $0.001 budget
        chat(PRICEY_KEY, SMALL_CHAT.formatted(600)).exchange()
            .expectStatus().isEqualTo(429)
            .expectBody().jsonPath("$.error.code").isEqualTo("cost_budget_exceeded");
        chat(PRICEY_KEY, SMALL_CHAT.formatted(100)).exchange().expectStatus().isOk();
    }

    private long dayTokens(String tenant) {
        String key = BudgetLedger.Windows.of(tenant, "-", Instant.now()).day();
        String value = redis.opsForValue().get(key).block(Duration.ofSeconds(5));
        return value == null ? 0 : Long.parseLong(value);
    }
}
