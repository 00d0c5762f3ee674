package dev.genaiplatform.orchestrator.cache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers already given, in Redis, shared by every orchestrator instance. The key is a hash of everything that
 * decides an answer: tenant, the caller's document groups, model or route, the normalised messages, sampling
 * parameters, tools, response format, vector stores and the prompt version (see {@link CacheKey}). An entry
 * remembers the documents behind its passages; when retrieval reports a document version gone, every entry that
 * used it is deleted ({@link #evictDocument}).
 *
 * <p>One computation per key: the first request for a key leads (a local future for requests in this instance,
 * a short Redis lock for other instances); the others wait for its answer instead of calling the model too.
 *
 * <p>Redis trouble never fails a request: a read error is a miss, a write error is logged.
 */
public final class ExactAnswerCache {

    private static final Logger log = LoggerFactory.getLogger(ExactAnswerCache.class);
    private static final String PREFIX = "orch:cache:v1:";

    private final StringRedisTemplate redis;
    private final ReactiveStringRedisTemplate reactiveRedis;
    private final JsonMapper json;
    private final CacheSettings settings;
    private final Map<String, CompletableFuture<Optional<StoredAnswer>>> inFlight = new ConcurrentHashMap<>();

    public ExactAnswerCache(StringRedisTemplate redis, ReactiveStringRedisTemplate reactiveRedis, JsonMapper json,
                            CacheSettings settings) {
        this.redis = redis;
        this.reactiveRedis = reactiveRedis;
        this.json = json;
        this.settings = settings;
    }

    public boolean enabled() {
        return this.settings.enabled();
    }

    public Optional<StoredAnswer> get(String key) {
        try {
            String value = this.redis.opsForValue().get(PREFIX + key);
            return value == null ? Optional.empty() : Optional.of(this.json.readValue(value, StoredAnswer.class));
        }
        catch (RuntimeException unavailable) {
            log.warn("Answer cache read failed, treated as a miss: {}", unavailable.getMessage());
            return Optional.empty();
        }
    }

    /**
     * {@link #get} without blocking, for the event loop: empty on a miss, and (as {@link #get}) on a Redis error,
     * which is logged. Same key, same entry, same decoding.
     */
    public Mono<StoredAnswer> find(String key) {
        return this.reactiveRedis.opsForValue().get(PREFIX + key)
                .map(value -> this.json.readValue(value, StoredAnswer.class))
                .onErrorResume(RuntimeException.class, unavailable -> {
                    log.warn("Answer cache read failed, treated as a miss: {}", unavailable.getMessage());
                    return Mono.empty();
                });
    }

    /** Whether a plain hit may be answered on the event loop (see {@link CacheSettings#reactiveHits()}). */
    public boolean answersHitsReactively() {
        return this.settings.enabled() && this.settings.reactiveHits();
    }

    /**
     * Either this request leads the computation for {@code key} ({@link Flight#leader()}), or another one does and
     * {@link Flight#result()} completes with its answer (empty when it failed).
     */
    public Flight join(String key) {
        CompletableFuture<Optional<StoredAnswer>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<StoredAnswer>> existing = this.inFlight.putIfAbsent(key, mine);
        if (existing != null) {
            return new Flight(key, false, existing);
        }
        // Leader in this instance; another instance may be computing the same key: wait for its answer a while.
        if (!lock(key)) {
            long until = System.nanoTime() + this.settings.lockWait().toNanos();
            while (System.nanoTime() < until) {
                Optional<StoredAnswer> theirs = get(key);
                if (theirs.isPresent()) {
                    this.inFlight.remove(key, mine);
                    mine.complete(theirs);
                    return new Flight(key, false, mine);
                }
                sleep(this.settings.pollInterval());
            }
        }
        return new Flight(key, true, mine);
    }

    /** Waits for the leader's answer; empty when it failed or took longer than {@code timeout}. */
    public Optional<StoredAnswer> waitFor(CompletableFuture<Optional<StoredAnswer>> result, Duration timeout) {
        try {
            return result.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
            return Optional.empty();
        }
    }

    /** The leader's answer: stored (when {@code store}), handed to the waiting requests, lock released. */
    public void complete(Flight flight, StoredAnswer answer, String tenantId, boolean store) {
        if (store) {
            put(flight.key(), answer, tenantId);
        }
        release(flight, Optional.of(answer));
    }

    /** The leader failed: the waiting requests compute for themselves. */
    public void abandon(Flight flight) {
        release(flight, Optional.empty());
    }

    public void put(String key, StoredAnswer answer, String tenantId) {
        try {
            this.redis.opsForValue().set(PREFIX + key, this.json.writeValueAsString(answer), this.settings.ttl());
            for (String document : answer.documents()) {
                String index = documentIndex(tenantId, documentOf(document));
                this.redis.opsForSet().add(index, key);
                this.redis.expire(index, this.settings.ttl().plus(Duration.ofMinutes(1)));
            }
        }
        catch (RuntimeException unavailable) {
            log.warn("Answer cache write failed: {}", unavailable.getMessage());
        }
    }

    /** Drops every entry of the tenant whose prompt used {@code fileId} (any version). Returns how many. */
    public long evictDocument(String tenantId, String fileId) {
        String index = documentIndex(tenantId, fileId);
        Set<String> keys = this.redis.opsForSet().members(index);
        long evicted = 0;
        if (keys != null && !keys.isEmpty()) {
            Long deleted = this.redis.delete(keys.stream().map(k -> PREFIX + k).toList());
            evicted = deleted == null ? 0 : deleted;
        }
        this.redis.delete(index);
        return evicted;
    }

    private void release(Flight flight, Optional<StoredAnswer> answer) {
        if (!flight.leader()) {
            return;
        }
        this.inFlight.remove(flight.key(), flight.result());
        flight.result().complete(answer);
        try {
            this.redis.delete(PREFIX + "lock:" + flight.key());
        }
        catch (RuntimeException unavailable) {
            // the lock expires on its own
        }
    }

    private boolean lock(String key) {
        try {
            return Boolean.TRUE.equals(this.redis.opsForValue()
                    .setIfAbsent(PREFIX + "lock:" + key, "1", this.settings.lockWait()));
        }
        catch (RuntimeException unavailable) {
            return true;
        }
    }

    private static String documentIndex(String tenantId, String fileId) {
        return PREFIX + "doc:" + tenantId + ":" + fileId;
    }

    /** {@code file-1@3} → {@code file-1}. */
    static String documentOf(String documentVersion) {
        int at = documentVersion.lastIndexOf('@');
        return at < 0 ? documentVersion : documentVersion.substring(0, at);
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One request's part in the computation of a key.
     *
     * @param leader true when this request computes the answer
     * @param result completes with the leader's answer
     */
    public record Flight(String key, boolean leader, CompletableFuture<Optional<StoredAnswer>> result) {
    }
}
