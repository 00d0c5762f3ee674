package dev.genaiplatform.orchestrator.batch;

import dev.genaiplatform.orchestrator.support.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch lane's token buckets shared through a real Redis: two bucket clients, as two orchestrator instances
 * would hold, draw on one bucket per provider; with Redis away each falls back to its own bucket. The rate is one
 * line per 100 s, so no token refills while a test runs and the counts do not depend on the machine's speed.
 */
class SharedProviderBucketsIT {

    private static final BatchSettings.Rate RATE = new BatchSettings.Rate(0.01, 3);
    private final List<LettuceConnectionFactory> connections = new ArrayList<>();

    @AfterEach
    void close() {
        this.connections.forEach(LettuceConnectionFactory::destroy);
    }

    @Test
    void twoInstancesTogetherGetOneBurstOfAProviderNotOneEach() {
        String provider = "p-" + UUID.randomUUID();
        ProviderBuckets first = buckets(provider, TestRedis.port());
        ProviderBuckets second = buckets(provider, TestRedis.port());

        List<Duration> takes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {   // alternating, as two instances' consumers would
            takes.add(first.take(provider));
            takes.add(second.take(provider));
        }

        assertThat(takes.stream().filter(Duration::isZero).count()).isEqualTo(3);
        assertThat(takes.subList(3, 8)).allSatisfy(wait -> assertThat(wait).isGreaterThan(Duration.ofSeconds(90)));
    }

    @Test
    void withoutTheSharedBucketEachInstanceGetsItsOwnBurst() {
        String provider = "p-" + UUID.randomUUID();
        ProviderBuckets first = new ProviderBuckets(settings(provider), System::nanoTime, null);
        ProviderBuckets second = new ProviderBuckets(settings(provider), System::nanoTime, null);

        long taken = 0;
        for (int i = 0; i < 4; i++) {
            taken += (first.take(provider).isZero() ? 1 : 0) + (second.take(provider).isZero() ? 1 : 0);
        }

        assertThat(taken).isEqualTo(6);   // what the shared bucket prevents: N instances, N times the burst
    }

    @Test
    void withRedisAwayEachInstanceFallsBackToItsOwnBucketAndBatchWorkGoesOn() throws Exception {
        String provider = "p-" + UUID.randomUUID();
        int nobodyListens;
        try (ServerSocket socket = new ServerSocket(0)) {
            nobodyListens = socket.getLocalPort();
        }
        ProviderBuckets alone = buckets(provider, nobodyListens);

        List<Duration> takes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            takes.add(alone.take(provider));
        }

        assertThat(takes.subList(0, 3)).allSatisfy(wait -> assertThat(wait).isZero());
        assertThat(takes.get(3)).isGreaterThan(Duration.ofSeconds(90));
    }

    private ProviderBuckets buckets(String provider, int redisPort) {
        LettuceConnectionFactory connection = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", redisPort));
        connection.afterPropertiesSet();
        connection.start();
        this.connections.add(connection);
        return new ProviderBuckets(settings(provider), System::nanoTime,
                new SharedProviderBuckets(new StringRedisTemplate(connection)));
    }

    private static BatchSettings settings(String provider) {
        return new BatchSettings(null, 10, 1024, Map.of(provider, RATE), null, 1, null, 5, null, null, null, null,
                null, null, null, true);
    }
}
