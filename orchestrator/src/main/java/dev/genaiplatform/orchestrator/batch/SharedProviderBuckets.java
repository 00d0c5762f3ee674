package dev.genaiplatform.orchestrator.batch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The providers' token buckets in Redis, shared by every orchestrator instance: N instances together send a provider
 * its configured batch rate, not N times it. One Lua script per take (atomic: read, refill by Redis' own clock, take,
 * write), so two instances never take the same token. When Redis does not answer, {@link #take} is empty and the
 * caller falls back to its local bucket (fail open: batch work goes on at up to N times the rate rather than stop).
 */
final class SharedProviderBuckets {

    private static final Logger log = LoggerFactory.getLogger(SharedProviderBuckets.class);
    static final String KEY_PREFIX = "orch:batch:bucket:";
    /** After a failure Redis is not asked again for this long: a dead Redis must not cost each line a timeout. */
    private static final Duration BACK_OFF = Duration.ofSeconds(5);

    private final StringRedisTemplate redis;
    private final RedisScript<Long> script = new DefaultRedisScript<>() {
        {
            setLocation(new ClassPathResource("scripts/batch-token-bucket.lua"));
            setResultType(Long.class);
        }
    };
    private final AtomicReference<Instant> quietUntil = new AtomicReference<>(Instant.MIN);

    SharedProviderBuckets(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /** Takes a token of the provider's shared bucket: zero when taken, else the wait; empty when Redis is away. */
    Optional<Duration> take(String provider, BatchSettings.Rate rate) {
        if (Instant.now().isBefore(this.quietUntil.get())) {
            return Optional.empty();
        }
        try {
            Long waitMillis = this.redis.execute(this.script, List.of(KEY_PREFIX + provider),
                    Double.toString(rate.perSecond() / 1000.0), Integer.toString(rate.burst()));
            return Optional.of(Duration.ofMillis(waitMillis == null ? 0 : waitMillis));
        }
        catch (RuntimeException unavailable) {
            if (this.quietUntil.getAndSet(Instant.now().plus(BACK_OFF)).isBefore(Instant.now())) {
                log.warn("Shared batch buckets in Redis unavailable ({}); this instance uses its own buckets for {}",
                        unavailable.getMessage(), BACK_OFF);
            }
            return Optional.empty();
        }
    }
}
