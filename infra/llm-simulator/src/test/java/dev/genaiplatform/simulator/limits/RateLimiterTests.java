package dev.genaiplatform.simulator.limits;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTests {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void admitsAMinutesAllowanceOfRequestsThenRefusesWithOpenAisMessage() {
        RateLimiter limiter = limiter(3, 0);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.admit("key-a", "sim-small", 10).allowed()).isTrue();
        }
        RateLimitDecision refused = limiter.admit("key-a", "sim-small", 10);

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.refusal().type()).isEqualTo("requests");
        // 3 per minute refill one every 20 s
        assertThat(refused.refusal().message()).isEqualTo("Rate limit reached for sim-small on requests per min (RPM): "
                + "Limit 3, Used 3, Requested 1. Please try again in 20s.");
        assertThat(refused.refusal().retryAfter().toMillis()).isEqualTo(20_000);
        assertThat(refused.refusal().retryAfterSeconds()).isEqualTo("20");
    }

    @Test
    void keepsASeparateAllowancePerApiKeyAndPerModel() {
        RateLimiter limiter = limiter(1, 0);

        assertThat(limiter.admit("key-a", "sim-small", 1).allowed()).isTrue();
        assertThat(limiter.admit("key-a", "sim-small", 1).allowed()).isFalse();
        assertThat(limiter.admit("key-b", "sim-small", 1).allowed()).isTrue();
        assertThat(limiter.admit("key-a", "sim-large", 1).allowed()).isTrue();
        assertThat(limiter.admit("", "sim-small", 1).allowed()).isTrue();
    }

    @Test
    void refillsContinuouslyAtTheAllowancePerMinute() {
        RateLimiter limiter = limiter(60, 0);
        for (int i = 0; i < 60; i++) {
            limiter.admit("key", "sim-small", 1);
        }
        assertThat(limiter.admit("key", "sim-small", 1).allowed()).isFalse();

        advance(Duration.ofMillis(999));
        assertThat(limiter.admit("key", "sim-small", 1).allowed()).isFalse();
        advance(Duration.ofMillis(1));
        assertThat(limiter.admit("key", "sim-small", 1).allowed()).isTrue();
        assertThat(limiter.admit("key", "sim-small", 1).allowed()).isFalse();

        advance(Duration.ofHours(1)); // never more than a minute's allowance
        RateLimitDecision decision = limiter.admit("key", "sim-small", 1);
        assertThat(decision.requests().remaining()).isEqualTo(59);
    }

    @Test
    void chargesTokensAndRefusesWhenTheTokenAllowanceIsSpent() {
        RateLimiter limiter = limiter(0, 1_000);

        assertThat(limiter.admit("key", "sim-small", 700).allowed()).isTrue();
        RateLimitDecision refused = limiter.admit("key", "sim-small", 400);

        assertThat(refused.refusal().type()).isEqualTo("tokens");
        // 100 more tokens are needed; 1,000 per minute is one per 60 ms
        assertThat(refused.refusal().message()).isEqualTo("Rate limit reached for sim-small on tokens per min (TPM): "
                + "Limit 1000, Used 700, Requested 400. Please try again in 6s.");
        assertThat(limiter.admit("key", "sim-small", 300).allowed()).isTrue();
    }

    @Test
    void aRefusedRequestSpendsNothing() {
        RateLimiter limiter = limiter(2, 1_000);

        assertThat(limiter.admit("key", "sim-small", 900).allowed()).isTrue();
        assertThat(limiter.admit("key", "sim-small", 200).allowed()).isFalse();
        RateLimitDecision admitted = limiter.admit("key", "sim-small", 100);

        assertThat(admitted.allowed()).isTrue();
        assertThat(admitted.requests().remaining()).isZero();
        assertThat(admitted.tokens().remaining()).isZero();
    }

    @Test
    void refusesARequestLargerThanTheWholeTokenAllowanceWithNoRetryAfter() {
        RateLimiter limiter = limiter(0, 1_000);

        RateLimitDecision refused = limiter.admit("key", "sim-small", 1_001);

        assertThat(refused.refusal().retryAfter()).isNull();
        assertThat(refused.refusal().message()).isEqualTo("Request too large for sim-small on tokens per min (TPM): "
                + "Limit 1000, Requested 1001. The input or output tokens must be reduced in order to run successfully.");
    }

    @Test
    void reportsOpenAisHeadersWithRemainingAndTimeUntilFull() {
        RateLimiter limiter = limiter(100, 10_000);

        RateLimitDecision decision = limiter.admit("key", "sim-small", 2_500);

        assertThat(decision.headers()).containsExactly(
                Map.entry("x-ratelimit-limit-requests", "100"),
                Map.entry("x-ratelimit-limit-tokens", "10000"),
                Map.entry("x-ratelimit-remaining-requests", "99"),
                Map.entry("x-ratelimit-remaining-tokens", "7500"),
                Map.entry("x-ratelimit-reset-requests", "600ms"),
                Map.entry("x-ratelimit-reset-tokens", "15s"));
    }

    @Test
    void sendsOnlyTheHeadersOfTheLimitsThatApplyAndNoneForAnUnlimitedModel() {
        assertThat(limiter(5, 0).admit("key", "sim-small", 1).headers())
                .containsOnlyKeys("x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests");
        RateLimitDecision unlimited = limiter(0, 0).admit("key", "sim-small", 1_000_000);
        assertThat(unlimited.allowed()).isTrue();
        assertThat(unlimited.headers()).isEmpty();
    }

    @Test
    void aModelsOwnLimitsReplaceTheDefaults() {
        RateLimitProperties properties = new RateLimitProperties(0, 0, 256, 100,
                Map.of("sim-large", new RateLimitProperties.ModelLimits(1, 0)));
        RateLimiter limiter = new RateLimiter(properties, now::get);

        assertThat(limiter.admit("key", "sim-large", 1).allowed()).isTrue();
        assertThat(limiter.admit("key", "sim-large", 1).allowed()).isFalse();
        assertThat(limiter.admit("key", "sim-small", 1).headers()).isEmpty();
    }

    @Test
    void chargesMaxTokensOrTheConfiguredEstimateOnTopOfThePrompt() {
        RateLimiter limiter = limiter(0, 1_000);

        assertThat(limiter.tokensCharged(100, 50)).isEqualTo(150);
        assertThat(limiter.tokensCharged(100, null)).isEqualTo(356);
    }

    @Test
    void forgetsTheLeastRecentlySeenKeyBeyondTheBound() {
        RateLimitProperties properties = new RateLimitProperties(1, 0, 0, 2, Map.of());
        RateLimiter limiter = new RateLimiter(properties, now::get);
        limiter.admit("a", "m", 1);
        limiter.admit("b", "m", 1);
        limiter.admit("a", "m", 1); // a is now more recent than b
        limiter.admit("c", "m", 1);

        assertThat(limiter.tracked()).isEqualTo(2);
        assertThat(limiter.admit("a", "m", 1).allowed()).isFalse(); // still remembered and spent
        assertThat(limiter.admit("b", "m", 1).allowed()).isTrue();  // forgotten: a fresh allowance
    }

    @Test
    void formatsDurationsAsOpenAiDoes() {
        assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(GoDuration.format(Duration.ofMillis(6))).isEqualTo("6ms");
        assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(GoDuration.format(Duration.ofSeconds(60))).isEqualTo("1m0s");
        assertThat(GoDuration.format(Duration.ofMillis(90_250))).isEqualTo("1m30.25s");
        assertThat(GoDuration.format(Duration.ofSeconds(3723))).isEqualTo("1h2m3s");
    }

    private RateLimiter limiter(long rpm, long tpm) {
        return new RateLimiter(new RateLimitProperties(rpm, tpm, 256, 100, Map.of()), now::get);
    }

    private void advance(Duration duration) {
        now.addAndGet(TimeUnit.NANOSECONDS.convert(duration));
    }
}
