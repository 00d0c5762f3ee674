package dev.genaiplatform.orchestrator.budget;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

/**
 * What each tenant spent on models this month, in Redis so every orchestrator instance sees the same sum. The
 * router reads it to downgrade a tenant near its budget; it is a steering signal, not an enforcement point (the
 * gateway reserves and enforces budgets). If Redis is down the spend reads as 0: routing goes on, unsteered.
 */
public final class TenantSpend {

    private static final Logger log = LoggerFactory.getLogger(TenantSpend.class);

    /** How long a month's sum outlives its month. */
    private static final Duration KEPT_FOR = Duration.ofDays(40);

    /**
     * The sum and its expiry in one round trip (wave 12: two blocking commands per answered request before), and
     * atomically: a sum can no longer be left without its expiry by a failure between the two.
     */
    private static final RedisScript<String> ADD = RedisScript.of("""
            local total = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
            redis.call('EXPIRE', KEYS[1], ARGV[2])
            return total""", String.class);

    private final StringRedisTemplate redis;

    public TenantSpend(StringRedisTemplate redis) {
        this.redis = redis;
    }

    public double thisMonthUsd(String tenantId) {
        try {
            String value = this.redis.opsForValue().get(key(tenantId));
            return value == null ? 0 : Double.parseDouble(value);
        }
        catch (RuntimeException unavailable) {
            log.debug("Spend of tenant {} unknown: {}", tenantId, unavailable.getMessage());
            return 0;
        }
    }

    public void add(String tenantId, double usd) {
        if (usd <= 0) {
            return;
        }
        try {
            this.redis.execute(ADD, List.of(key(tenantId)), Double.toString(usd),
                    Long.toString(KEPT_FOR.toSeconds()));
        }
        catch (RuntimeException unavailable) {
            log.debug("Spend of tenant {} not recorded: {}", tenantId, unavailable.getMessage());
        }
    }

    private static String key(String tenantId) {
        return "orch:spend:" + tenantId + ":" + YearMonth.now(ZoneOffset.UTC);
    }
}
