package dev.genaiplatform.orchestrator.semantic;

import dev.genaiplatform.orchestrator.cache.StoredAnswer;
import dev.genaiplatform.orchestrator.support.TestRedis;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Not a test: a measurement, run on demand with
 * {@code ./mvnw -B -q -pl orchestrator -am test -Dtest=SemanticCacheLookupBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * A scope of 1,000 cached questions in a real Redis; p50/p99 of a lookup (one Redis GET of the scope's version, a
 * scan of the vectors, the agreement check) and, separately, of embedding a question with MiniLM.
 */
class SemanticCacheLookupBenchmark {

    @Test
    void measure() {
        LettuceConnectionFactory connections = new LettuceConnectionFactory("127.0.0.1", TestRedis.port());
        connections.afterPropertiesSet();
        connections.start();
        StringRedisTemplate redis = new StringRedisTemplate(connections);
        SemanticAnswerCache cache = new SemanticAnswerCache(redis, new JsonMapper(),
                new SemanticCacheSettings(true, 0.90, Duration.ofMinutes(10), 5000));
        QuestionEmbedder embedder = new QuestionEmbedder();
        String scope = "bench:" + UUID.randomUUID();
        StoredAnswer answer = new StoredAnswer("chatcmpl-1", "An answer. [1]", List.of(), "stop", 100, 20, List.of(),
                "sim-small", List.of("doc@1"), List.of("doc#1"));
        int entries = 1000;
        float[][] vectors = new float[entries][];
        for (int i = 0; i < entries; i++) {
            vectors[i] = embedder.embed("Question number " + i + " about topic " + (i % 37) + " and detail " + (i * 7));
            cache.store(scope, "bench", "Question number " + i, vectors[i], answer);
        }
        long[] lookups = new long[3000];
        for (int i = -500; i < lookups.length; i++) {
            int n = Math.floorMod(i, entries);
            long start = System.nanoTime();
            cache.lookup(scope, "Question number " + n, vectors[n]);
            if (i >= 0) {
                lookups[i] = System.nanoTime() - start;
            }
        }
        long[] embeddings = new long[300];
        for (int i = 0; i < embeddings.length; i++) {
            long start = System.nanoTime();
            embedder.embed("How do chunks get cited in an answer, question " + i + "?");
            embeddings[i] = System.nanoTime() - start;
        }
        System.out.printf(Locale.ROOT, "%n| measurement (1,000 entries in the scope) | p50 ms | p99 ms |%n|---|---|---|%n");
        System.out.printf(Locale.ROOT, "| semantic lookup (Redis version GET + scan + agreement) | %.3f | %.3f |%n",
                p(lookups, 50), p(lookups, 99));
        System.out.printf(Locale.ROOT, "| embedding the question (MiniLM int8, in process) | %.3f | %.3f |%n",
                p(embeddings, 50), p(embeddings, 99));
        connections.destroy();
    }

    private static double p(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1_000_000.0;
    }
}
