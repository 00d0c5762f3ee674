package dev.genaiplatform.gateway.ratelimit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.genaiplatform.gateway.tenant.Tenant;

import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Spring Cloud Gateway's Redis token bucket, with settings that can appear while the gateway runs (tenants are
 * created through the admin API). The stock limiter keeps its settings in a plain HashMap filled once from
 * route configuration; here they live in a concurrent map, one entry per distinct rate-limit triple, added the
 * first time a key with that triple is seen.
 */
public class TenantRateLimiter extends RedisRateLimiter {

    private final Map<String, Config> settings = new ConcurrentHashMap<>();

    public TenantRateLimiter(ReactiveStringRedisTemplate redis, RedisScript<List<Long>> script,
            ConfigurationService configurationService) {
        super(redis, script, configurationService);
    }

    /** A limiter without Redis, for tests that replace {@link #isAllowed}. */
    TenantRateLimiter() {
        super(1, 1);
    }

    @Override
    public Map<String, Config> getConfig() {
        return settings;
    }

    /** The names already registered, so a request does not build the name again. */
    private final Map<Tenant.RateLimit, String> names = new ConcurrentHashMap<>();

    /**
     * The bucket's two Redis keys, spelled as {@link #isAllowed} spells them ({@code request_rate_limiter.{<settings
     * name>.<key id>}.tokens} and {@code .timestamp}), for a script that takes the bucket's token itself
     * ({@link PendingRateLimit}). {@code RedisRateLimiter}'s own helper is not public; {@code FoldedRateLimitIT}
     * checks that both spellings drain one bucket.
     */
    List<String> bucketKeys(String name, String id) {
        String prefix = "request_rate_limiter.{" + name + "." + id + "}.";
        return List.of(prefix + "tokens", prefix + "timestamp");
    }

    /** The bucket script's arguments as {@link #isAllowed} sends them: rate, capacity, no time (Redis's), tokens. */
    List<String> bucketArguments(String name) {
        Config config = settings.get(name);
        return List.of(Integer.toString(config.getReplenishRate()), Long.toString(config.getBurstCapacity()), "",
                Integer.toString(config.getRequestedTokens()));
    }

    /** The script's answer ({allowed 1/0, tokens left}) as {@link #isAllowed} would have returned it. */
    Response response(String name, List<Long> answer) {
        return new Response(answer.get(0) == 1L, getHeaders(settings.get(name), answer.get(1)));
    }

    /** The name the limiter knows these settings under, registering them on first use. */
    String settingsFor(Tenant.RateLimit limit) {
        return names.computeIfAbsent(limit, l -> {
            String name = "limit:" + l.replenishRate() + ":" + l.burstCapacity() + ":" + l.requestedTokens();
            settings.computeIfAbsent(name, n -> new Config().setReplenishRate(l.replenishRate())
                .setBurstCapacity(l.burstCapacity()).setRequestedTokens(l.requestedTokens()));
            return name;
        });
    }
}
