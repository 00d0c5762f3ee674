package dev.genaiplatform.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the edge, under {@code platform.gateway}. Routes and proxy timeouts are Spring Cloud
 * Gateway's own keys ({@code spring.cloud.gateway.server.webflux.*}); see application.yml.
 *
 * @param maxRequestBytes largest request body accepted ({@code max-request-bytes}, default 1MB = 1 MiB);
 *     larger bodies get a 413, checked on Content-Length first and again while the body is read
 * @param upstreamIdleTimeout longest a backend may stay silent while answering ({@code upstream-idle-timeout},
 *     default 120s): bounds a stream that stalls after its headers were sent, which the gateway's
 *     response-timeout (time to response headers) does not cover
 * @param rateLimitFailOpen what to do when Redis cannot be asked ({@code rate-limit-fail-open}, default true):
 *     true lets the request through (Spring Cloud Gateway's own behaviour), false answers 503
 * @param tenants the tenants, keyed by tenant id ({@code tenants.<id>.*})
 */
@ConfigurationProperties("platform.gateway")
public record PlatformGatewayProperties(
        @DefaultValue("1MB") DataSize maxRequestBytes,
        @DefaultValue("120s") Duration upstreamIdleTimeout,
        @DefaultValue("true") boolean rateLimitFailOpen,
        Map<String, TenantProperties> tenants) {

    public PlatformGatewayProperties {
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
    }

    /**
     * One tenant, with one or more API keys. Keys come from any mix of the three key settings; every key
     * gets its own rate-limit bucket with the tenant's {@code rate-limit} settings, so the tenant's total
     * rate is the per-key rate times the number of keys. Rotation: add the new key, deploy, move clients
     * over, remove the old key, deploy.
     *
     * @param apiKeySha256 hex SHA-256 of one API key ({@code api-key-sha256}): the way to store a single key
     * @param apiKeysSha256 hex SHA-256s of further keys ({@code api-keys-sha256}, a list): several keys at
     *     once, e.g. old and new during a rotation, or one per client application
     * @param apiKey one key in plain text ({@code api-key}), for local development only; it is hashed at
     *     startup and only the hash is used (the plain value still sits in the Spring Environment it came from)
     * @param models model ids the tenant may use ({@code models}); also what {@code GET /v1/models} lists
     * @param rateLimit the token bucket each of the tenant's keys gets ({@code rate-limit.*})
     */
    public record TenantProperties(String apiKeySha256, List<String> apiKeysSha256, String apiKey,
            List<String> models, RateLimitProperties rateLimit) {

        public TenantProperties {
            apiKeysSha256 = apiKeysSha256 == null ? List.of() : List.copyOf(apiKeysSha256);
        }

        /** Never print a key, not even into a startup failure message. */
        @Override
        public String toString() {
            return "TenantProperties[models=" + models + ", rateLimit=" + rateLimit + "]";
        }
    }

    /**
     * A token bucket in Redis (Spring Cloud Gateway's RedisRateLimiter), one per API key. The bucket holds up to
     * {@code burst-capacity} tokens and refills {@code replenish-rate} tokens per second; each request
     * takes {@code requested-tokens}. With the default of one token per request, replenish-rate is
     * requests per second and burst-capacity the largest burst. A larger {@code requested-tokens}
     * expresses rates below one request per second (rate 1, burst 300, requested 100: a burst of 3,
     * then one request every 100 s).
     *
     * @param replenishRate tokens added per second ({@code replenish-rate}, at least 1)
     * @param burstCapacity bucket size in tokens ({@code burst-capacity}, at least replenish-rate)
     * @param requestedTokens tokens one request costs ({@code requested-tokens}, default 1)
     */
    public record RateLimitProperties(int replenishRate, long burstCapacity, @DefaultValue("1") int requestedTokens) {
    }
}
