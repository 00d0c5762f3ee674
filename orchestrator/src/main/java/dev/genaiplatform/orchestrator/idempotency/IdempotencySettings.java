package dev.genaiplatform.orchestrator.idempotency;

import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code platform.orchestrator.idempotency.*}.
 *
 * @param ttl          how long an answer is replayed for its key
 * @param runningTtl   how long a key stays claimed by a request that never finishes (a crashed instance)
 * @param pollInterval how often a repeat looks whether the first request finished
 */
public record IdempotencySettings(@DefaultValue("24h") Duration ttl, @DefaultValue("3m") Duration runningTtl,
                                  @DefaultValue("20ms") Duration pollInterval) {
}
