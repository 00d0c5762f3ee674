package dev.genaiplatform.orchestrator.idempotency;

import dev.genaiplatform.orchestrator.cache.StoredAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key}: a repeated request with the same key gets the first request's answer, also while the
 * first is still running (the repeat waits for it), without a second model call. Keys are per tenant and remember
 * a fingerprint of the request body: the same key with another body is refused (422), because answering it with
 * the first body's result would be wrong. A request that fails frees its key, so the client may retry.
 *
 * <p>Entries live in Redis ({@code orch:idem:<tenant>:<key>}) for {@code ttl}, shared by all instances. Without
 * Redis the header is ignored and a warning logged: an outage must not stop every request that carries it.
 */
public final class IdempotencyStore {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyStore.class);
    /** Printable ASCII without spaces, 1 to 255 characters: UUIDs, ULIDs and the like. */
    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final IdempotencySettings settings;

    public IdempotencyStore(StringRedisTemplate redis, JsonMapper json, IdempotencySettings settings) {
        this.redis = redis;
        this.json = json;
        this.settings = settings;
    }

    public static boolean isValidKey(String key) {
        return key != null && VALID_KEY.matcher(key).matches();
    }

    /** What a request carrying a key does next. */
    public sealed interface Claim {
    }

    /** First with this key: compute, then {@link #finish} or {@link #release}. */
    public record Fresh(String redisKey) implements Claim {
    }

    /** Already answered (maybe after waiting for the first request): give this answer. */
    public record Replay(StoredAnswer answer) implements Claim {
    }

    /** The key was used with another request body. */
    public record Mismatch() implements Claim {
    }

    /** Redis did not answer: go on without idempotency. */
    public record Unavailable() implements Claim {
    }

    /** The first request is still running after {@code maxWait}. */
    public record StillRunning() implements Claim {
    }

    private record Entry(String fingerprint, String state, StoredAnswer answer) {
    }

    public Claim claim(String tenantId, String key, String fingerprint, Duration maxWait) {
        String redisKey = "orch:idem:" + tenantId + ":" + key;
        long until = System.nanoTime() + maxWait.toNanos();
        try {
            while (true) {
                String running = this.json.writeValueAsString(new Entry(fingerprint, "running", null));
                if (Boolean.TRUE.equals(this.redis.opsForValue().setIfAbsent(redisKey, running, this.settings.runningTtl()))) {
                    return new Fresh(redisKey);
                }
                String value = this.redis.opsForValue().get(redisKey);
                if (value == null) {
                    continue;   // the first request failed and freed the key a moment ago: claim it
                }
                Entry entry = this.json.readValue(value, Entry.class);
                if (!entry.fingerprint().equals(fingerprint)) {
                    return new Mismatch();
                }
                if ("done".equals(entry.state()) && entry.answer() != null) {
                    return new Replay(entry.answer());
                }
                if (System.nanoTime() > until) {
                    return new StillRunning();
                }
                Thread.sleep(this.settings.pollInterval());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new StillRunning();
        }
        catch (RuntimeException unavailable) {
            log.warn("Idempotency store unavailable, key {} ignored: {}", key, unavailable.getMessage());
            return new Unavailable();
        }
    }

    public void finish(Fresh claim, String fingerprint, StoredAnswer answer) {
        try {
            this.redis.opsForValue().set(claim.redisKey(),
                    this.json.writeValueAsString(new Entry(fingerprint, "done", answer)), this.settings.ttl());
        }
        catch (RuntimeException unavailable) {
            log.warn("Idempotent answer not stored: {}", unavailable.getMessage());
        }
    }

    public void release(Fresh claim) {
        try {
            this.redis.delete(claim.redisKey());
        }
        catch (RuntimeException unavailable) {
            log.warn("Idempotency key not freed (expires on its own): {}", unavailable.getMessage());
        }
    }
}
