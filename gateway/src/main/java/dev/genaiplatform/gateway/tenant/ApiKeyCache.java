package dev.genaiplatform.gateway.tenant;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Keys as the request path sees them: from memory when known, from the {@link ApiKeyStore} (on a worker
 * thread, never the event loop) when not. An entry lives {@code ttl}; a revocation event drops it at once
 * ({@link #evict}), the ttl only bounds how long a lost event could leave a revoked key working. Only keys
 * that exist are cached, so the table holds at most the active keys; an unknown key costs one indexed
 * query, and the failed-authentication throttle bounds how many of those one address can cause.
 */
public final class ApiKeyCache {

    private final ApiKeyStore store;

    private final long ttlNanos;

    private final ConcurrentHashMap<String, Entry> byHash = new ConcurrentHashMap<>();

    public ApiKeyCache(ApiKeyStore store, Duration ttl) {
        this.store = store;
        this.ttlNanos = ttl.toNanos();
    }

    public Mono<Optional<ApiKey>> find(String presentedKey) {
        String hash = HexFormat.of().formatHex(ApiKeyHash.of(presentedKey));
        Entry cached = byHash.get(hash);
        if (cached != null && System.nanoTime() - cached.loadedAt() < ttlNanos) {
            return Mono.just(Optional.of(cached.key()));
        }
        return Mono.fromCallable(() -> store.findActiveByHash(hash))
            .subscribeOn(Schedulers.boundedElastic())
            .doOnNext(found -> found.ifPresentOrElse(key -> byHash.put(hash, new Entry(key, System.nanoTime())),
                    () -> byHash.remove(hash)));
    }

    /** Drops a key (revoked on this or another instance); its next use asks the store, which says no. */
    public void evict(String keyId) {
        byHash.values().removeIf(entry -> entry.key().id().equals(keyId));
    }

    /** Drops every key of a tenant whose limits changed; their next use reads the new limits. */
    public void evictTenant(String tenantId) {
        byHash.values().removeIf(entry -> entry.key().tenant().id().equals(tenantId));
    }

    private record Entry(ApiKey key, long loadedAt) {
    }
}
