package dev.genaiplatform.orchestrator.resilience;

import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How model calls are protected ({@code platform.orchestrator.resilience.*}); one circuit breaker and one
 * bulkhead per provider, each with these settings.
 *
 * @param connectTimeout        TCP connect timeout to a provider
 * @param firstTokenTimeout     longest wait for the first chunk of an answer (non-streamed answers are streamed
 *                              from the provider too, so this bounds a hung provider for both, unless the provider
 *                              is set to {@code stream-whole-answers: false}: then its {@code timeout} does)
 * @param idleTimeout           longest silence between two chunks once an answer flows
 * @param totalTimeout          the whole model stage when the internal token carries no {@code deadline}
 * @param maxAttempts           attempts per model (first try included) for transient failures and 429s
 * @param backoff               base of the exponential backoff; each wait is random in [0, min(cap, base*2^n)]
 * @param backoffCap            longest wait between two attempts
 * @param maxRetryAfter         a provider's {@code Retry-After} up to this long is waited for; longer moves on
 * @param failureRateThreshold  percentage of failed calls that opens a provider's circuit
 * @param slidingWindow         calls the failure rate is computed over
 * @param minimumCalls          calls needed before the failure rate counts
 * @param openDuration          how long an open circuit refuses calls before letting probes through
 * @param maxConcurrentCalls    calls in flight per provider; more are refused at once (and fall back)
 */
public record ResilienceSettings(
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("10s") Duration firstTokenTimeout,
        @DefaultValue("10s") Duration idleTimeout,
        @DefaultValue("60s") Duration totalTimeout,
        @DefaultValue("2") int maxAttempts,
        @DefaultValue("200ms") Duration backoff,
        @DefaultValue("2s") Duration backoffCap,
        @DefaultValue("3s") Duration maxRetryAfter,
        @DefaultValue("50") float failureRateThreshold,
        @DefaultValue("20") int slidingWindow,
        @DefaultValue("10") int minimumCalls,
        @DefaultValue("10s") Duration openDuration,
        @DefaultValue("64") int maxConcurrentCalls) {

    public ResilienceSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("platform.orchestrator.resilience.max-attempts must be at least 1");
        }
    }
}
