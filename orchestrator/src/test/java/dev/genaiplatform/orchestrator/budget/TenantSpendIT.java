package dev.genaiplatform.orchestrator.budget;

import dev.genaiplatform.orchestrator.support.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A tenant's spend in a real Redis: what is added is what is read, by every instance, and the month's sum carries
 * its expiry from the first amount on (both written in one round trip since wave 12).
 */
class TenantSpendIT {

    private final List<LettuceConnectionFactory> connections = new ArrayList<>();

    @AfterEach
    void close() {
        this.connections.forEach(LettuceConnectionFactory::destroy);
    }

    @Test
    void amountsAddUpAcrossInstancesAndTheMonthsSumExpiresAfterFortyDays() {
        String tenant = "t-" + UUID.randomUUID();
        StringRedisTemplate redis = redis(TestRedis.port());
        TenantSpend one = new TenantSpend(redis);
        TenantSpend other = new TenantSpend(redis(TestRedis.port()));

        one.add(tenant, 0.00015);
        other.add(tenant, 0.0025);
        one.add(tenant, 0.25);

        assertThat(one.thisMonthUsd(tenant)).isCloseTo(0.25265, within(1e-12));
        assertThat(other.thisMonthUsd(tenant)).isCloseTo(0.25265, within(1e-12));
        String key = "orch:spend:" + tenant + ":" + YearMonth.now(ZoneOffset.UTC);
        assertThat(redis.getExpire(key, TimeUnit.SECONDS))
                .isBetween(Duration.ofDays(40).minusMinutes(1).toSeconds(), Duration.ofDays(40).toSeconds());
    }

    @Test
    void nothingIsStoredForAFreeAnswer() {
        String tenant = "t-" + UUID.randomUUID();
        StringRedisTemplate redis = redis(TestRedis.port());
        TenantSpend spend = new TenantSpend(redis);

        spend.add(tenant, 0);

        assertThat(spend.thisMonthUsd(tenant)).isZero();
        assertThat(redis.hasKey("orch:spend:" + tenant + ":" + YearMonth.now(ZoneOffset.UTC))).isFalse();
    }

    @Test
    void withRedisAwayAddingIsSkippedAndTheSpendReadsAsZero() throws Exception {
        int nobodyListens;
        try (ServerSocket socket = new ServerSocket(0)) {
            nobodyListens = socket.getLocalPort();
        }
        TenantSpend spend = new TenantSpend(redis(nobodyListens));

        spend.add("acme", 0.5);   // a steering signal: the request it belongs to goes on

        assertThat(spend.thisMonthUsd("acme")).isZero();
    }

    private StringRedisTemplate redis(int port) {
        LettuceConnectionFactory connection = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", port));
        connection.afterPropertiesSet();
        connection.start();
        this.connections.add(connection);
        return new StringRedisTemplate(connection);
    }
}
