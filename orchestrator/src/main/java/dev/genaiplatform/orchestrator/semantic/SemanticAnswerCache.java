package dev.genaiplatform.orchestrator.semantic;

import dev.genaiplatform.orchestrator.cache.ExactAnswerCache;
import dev.genaiplatform.orchestrator.cache.StoredAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers to questions that mean the same, shared by all instances through Redis and scoped so that nothing
 * crosses a tenant, a permission group, a model, a prompt version or a set of vector stores. A lookup embeds the
 * question, finds the most similar cached question of the scope, and answers from it only when the similarity
 * reaches the calibrated threshold and {@link AnswerAgreement} finds the same numbers, names and polarity.
 *
 * <p>Each instance keeps the scope's vectors in memory and reloads them when the scope's version in Redis moved
 * (one GET per lookup), so a lookup is one round trip plus a scan of the scope's vectors. Entries remember their
 * documents; a deleted or superseded document drops them ({@link #evictDocument}).
 */
public final class SemanticAnswerCache {

    private static final Logger log = LoggerFactory.getLogger(SemanticAnswerCache.class);
    private static final String PREFIX = "orch:sem:v1:";

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final SemanticCacheSettings settings;
    private final Map<String, Snapshot> local = new ConcurrentHashMap<>();

    public SemanticAnswerCache(StringRedisTemplate redis, JsonMapper json, SemanticCacheSettings settings) {
        this.redis = redis;
        this.json = json;
        this.settings = settings;
    }

    public boolean enabled() {
        return this.settings.enabled();
    }

    /** A stored entry: the question it answered, its vector, the answer. */
    public record Entry(String question, float[] vector, StoredAnswer answer) {
    }

    /** @param similarity cosine similarity of the two questions */
    public record Hit(StoredAnswer answer, double similarity, String cachedQuestion) {
    }

    private record Snapshot(String version, List<Entry> entries) {
    }

    public static String scope(String tenantId, List<String> groups, String model, String promptVersion,
                               List<String> vectorStores, String clientSystemText) {
        return tenantId + ":" + ExactAnswerCache.sha256(String.join(",", groups) + "\n" + model + "\n" + promptVersion
                + "\n" + String.join(",", vectorStores.stream().sorted().toList()) + "\n" + clientSystemText);
    }

    public Optional<Hit> lookup(String scope, String question, float[] vector) {
        try {
            Entry best = null;
            double bestSimilarity = -1;
            for (Entry entry : entries(scope)) {
                double similarity = QuestionEmbedder.cosine(entry.vector(), vector);
                if (similarity > bestSimilarity) {
                    best = entry;
                    bestSimilarity = similarity;
                }
            }
            if (best == null || bestSimilarity < this.settings.threshold()
                    || !AnswerAgreement.agree(best.question(), question)) {
                return Optional.empty();
            }
            return Optional.of(new Hit(best.answer(), bestSimilarity, best.question()));
        }
        catch (RuntimeException unavailable) {
            log.warn("Semantic cache lookup failed, treated as a miss: {}", unavailable.getMessage());
            return Optional.empty();
        }
    }

    public void store(String scope, String tenantId, String question, float[] vector, StoredAnswer answer) {
        try {
            String hash = PREFIX + scope;
            Long size = this.redis.opsForHash().size(hash);
            if (size != null && size >= this.settings.maxEntries()) {
                return;
            }
            String id = UUID.randomUUID().toString();
            this.redis.opsForHash().put(hash, id, this.json.writeValueAsString(new Entry(question, vector, answer)));
            this.redis.expire(hash, this.settings.ttl());
            for (String document : answer.documents()) {
                String index = PREFIX + "doc:" + tenantId + ":" + fileOf(document);
                this.redis.opsForSet().add(index, scope + "|" + id);
                this.redis.expire(index, this.settings.ttl());
            }
            this.redis.opsForValue().increment(hash + ":version");
            this.redis.expire(hash + ":version", this.settings.ttl());
        }
        catch (RuntimeException unavailable) {
            log.warn("Semantic cache write failed: {}", unavailable.getMessage());
        }
    }

    /** Drops every entry of the tenant whose answer used {@code fileId}; returns how many. */
    public long evictDocument(String tenantId, String fileId) {
        String index = PREFIX + "doc:" + tenantId + ":" + fileId;
        Set<String> members = this.redis.opsForSet().members(index);
        long evicted = 0;
        if (members != null) {
            for (String member : members) {
                int bar = member.lastIndexOf('|');
                String hash = PREFIX + member.substring(0, bar);
                Long removed = this.redis.opsForHash().delete(hash, member.substring(bar + 1));
                evicted += removed == null ? 0 : removed;
                this.redis.opsForValue().increment(hash + ":version");
            }
        }
        this.redis.delete(index);
        return evicted;
    }

    private List<Entry> entries(String scope) {
        String hash = PREFIX + scope;
        String version = this.redis.opsForValue().get(hash + ":version");
        if (version == null) {
            this.local.remove(scope);
            return List.of();
        }
        Snapshot snapshot = this.local.get(scope);
        if (snapshot != null && snapshot.version().equals(version)) {
            return snapshot.entries();
        }
        List<Entry> entries = new ArrayList<>();
        for (Object value : this.redis.opsForHash().values(hash)) {
            entries.add(this.json.readValue((String) value, Entry.class));
        }
        this.local.put(scope, new Snapshot(version, List.copyOf(entries)));
        return entries;
    }

    private static String fileOf(String documentVersion) {
        int at = documentVersion.lastIndexOf('@');
        return at < 0 ? documentVersion : documentVersion.substring(0, at);
    }
}
