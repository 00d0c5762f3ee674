package dev.genaiplatform.orchestrator.budget;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * What each tenant spent on models this month, in Redis so every orchestrator instance sees the same sum. The
 * router reads it to downgrade a tenant near its budget; it is a steering signal, not an enforcement point (the
 * gateway reserves and enforces budgets). If Redis is down the spend reads as 0: routing goes on, unsteered.
 */
public final class TenantSpend {

    private static final Logger log = LoggerFactory.getLogger(TenantSpend.class);

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
            String key = key(tenantId);
            this.redis.opsForValue().increment(key, usd);
            this.redis.expire(key, Duration.ofDays(40));
        }
        catch (RuntimeException unavailable) {
            log.debug("Spend of tenant {} not recorded: {}", tenantId, unavailable.getMessage());
        }
    }

    private static String key(String tenantId) {
        return "orch:spend:" + tenantId + ":" + YearMonth.now(ZoneOffset.UTC);
    }
}
