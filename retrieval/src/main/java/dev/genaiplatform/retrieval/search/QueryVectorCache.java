package dev.genaiplatform.retrieval.search;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The unit vectors of recently searched query texts, per tenant, least recently used dropped first: a question asked
 * again (a retry, a popular question, an evaluation replay, the same query on HTTP and then in a chat) is not embedded
 * again. The model gives one vector per text, so a cached vector is the vector, not an approximation.
 *
 * <p>Why per tenant: a shared entry would make another tenant's search for the same text measurably faster, which
 * tells an attacker that someone asked exactly that. Vectors handed out are shared: callers must not modify them.
 * Capacity 0 caches nothing.
 */
public final class QueryVectorCache {

    /** Nothing is kept. */
    public static final QueryVectorCache NONE = new QueryVectorCache(0);

    private final int capacity;
    private final Map<String, float[]> entries;

    public QueryVectorCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > QueryVectorCache.this.capacity;
            }
        };
    }

    /**
     * The cached vector of {@code text} for {@code tenant}, or {@code embed}'s, which is then kept. The embedding runs
     * outside the lock: two searches missing the same text at once both embed it (the same vector), neither waits.
     */
    public float[] vector(String tenant, String text, Supplier<float[]> embed) {
        if (capacity == 0) {
            return embed.get();
        }
        String key = tenant + '\n' + text;
        float[] cached = cached(key);
        if (cached != null) {
            return cached;
        }
        float[] computed = embed.get();
        synchronized (entries) {
            entries.put(key, computed);
        }
        return computed;
    }

    /** The cached vector, or null: lets a caller start an embedding elsewhere only when it is needed. */
    public float[] cached(String tenant, String text) {
        return capacity == 0 ? null : cached(tenant + '\n' + text);
    }

    private float[] cached(String key) {
        synchronized (entries) {
            return entries.get(key);
        }
    }

    /** Entries held now (for tests). */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
