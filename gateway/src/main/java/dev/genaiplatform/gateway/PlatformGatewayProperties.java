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
 *     larger bodies get a 413, checked on Content-Length first and again while the body is read. A route
 *     may raise it with its metadata {@code max-request-bytes} (the file upload route does)
 * @param maxUploadBytes the larger limit of the file upload route ({@code max-upload-bytes}, default 32MB),
 *     which application.yml puts into that route's metadata
 * @param upstreamIdleTimeout longest a backend may stay silent while answering ({@code upstream-idle-timeout},
 *     default 120s): bounds a stream that stalls after its headers were sent, which the gateway's
 *     response-timeout (time to response headers) does not cover
 * @param streamDeadlineGrace how long past the request's deadline (now + response-timeout when it arrived) a stream
 *     may still run ({@code stream-deadline-grace}, default 2s); then the gateway ends it with an
 *     {@code upstream_timeout} error event. The grace lets a backend that keeps the deadline send its own error first
 * @param rateLimitFailOpen what to do when Redis cannot be asked ({@code rate-limit-fail-open}, default true):
 *     true lets the request through (Spring Cloud Gateway's own behaviour), false answers 503
 * @param keyCacheTtl how long an instance trusts a key it looked up before asking PostgreSQL again
 *     ({@code key-cache-ttl}, default 30s): bounds how long a revocation whose event was lost still lets a key in
 * @param token the internal token the gateway signs for every request it forwards ({@code token.*})
 * @param client how long a client may take, and how often it may fail ({@code client.*})
 * @param admission how many requests this instance lets wait for an answer before it sheds ({@code admission.*})
 * @param budget token and money budgets per tenant, and the price table they are counted with ({@code budget.*})
 * @param batch the batch lane's grant: how long the token the orchestrator runs a batch's lines with lives
 *     ({@code batch.*})
 * @param tenants the tenants, keyed by tenant id ({@code tenants.<id>.*})
 */
@ConfigurationProperties("platform.gateway")
public record PlatformGatewayProperties(
        @DefaultValue("1MB") DataSize maxRequestBytes,
        @DefaultValue("32MB") DataSize maxUploadBytes,
        @DefaultValue("120s") Duration upstreamIdleTimeout,
        @DefaultValue("2s") Duration streamDeadlineGrace,
        @DefaultValue("true") boolean rateLimitFailOpen,
        @DefaultValue("30s") Duration keyCacheTtl,
        @DefaultValue TokenProperties token,
        @DefaultValue ClientProperties client,
        @DefaultValue AdmissionProperties admission,
        @DefaultValue BudgetProperties budget,
        @DefaultValue BatchProperties batch,
        Map<String, TenantProperties> tenants) {

    public PlatformGatewayProperties {
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
    }

    /**
     * The signed internal token (ADR 0004).
     *
     * @param expirySkew how long a token stays valid past the request's deadline ({@code expiry-skew},
     *     default 60s): room for clock skew between hosts and for a stream's last records
     * @param rotationInterval how often the signing key is replaced ({@code rotation-interval}, default
     *     24h; 0 = only on {@code POST /api/admin/signing-keys/rotate}). The previous key stays in the JWK set
     *     until the next rotation, so tokens it signed still verify
     * @param keyEncryptionSecret the secret that seals the private signing keys stored in PostgreSQL
     *     ({@code key-encryption-secret}, env {@code GATEWAY_SIGNING_KEY_SECRET}, at least 32 characters). Set: every
     *     instance on the database shares one key ring (the same secret on each). Empty: each instance keeps its own
     *     ring in memory, which is only right for a single instance
     * @param refreshInterval how often an instance rereads the shared ring ({@code refresh-interval}, default 5s):
     *     bounds how long after a rotation on another instance this one still signs with the key before it
     */
    public record TokenProperties(@DefaultValue("60s") Duration expirySkew,
            @DefaultValue("24h") Duration rotationInterval, String keyEncryptionSecret,
            @DefaultValue("5s") Duration refreshInterval) {

        public boolean sharedKeys() {
            return keyEncryptionSecret != null && !keyEncryptionSecret.isBlank();
        }

        /** Never print the secret, not even into a startup failure message. */
        @Override
        public String toString() {
            return "TokenProperties[expirySkew=" + expirySkew + ", rotationInterval=" + rotationInterval
                    + ", sharedKeys=" + sharedKeys() + ", refreshInterval=" + refreshInterval + "]";
        }
    }

    /**
     * The batch grant minted on {@code POST /v1/batches}: a token that lets the orchestrator run the batch's lines
     * after the creating request is gone (contracts {@code InternalToken.CLAIM_GRANT}).
     *
     * @param completionWindow how long a batch may run ({@code completion-window}, default 24h: OpenAI's only
     *     {@code completion_window}); the grant's {@code deadline}
     * @param grantMargin how long past the window the grant still verifies ({@code grant-margin}, default 15m): room
     *     for the last line queued just before the window closed, and for clock skew
     */
    public record BatchProperties(@DefaultValue("24h") Duration completionWindow,
            @DefaultValue("15m") Duration grantMargin) {

        /** How long a grant lives from the moment it is signed: the longest any token the gateway signs lives. */
        public Duration grantLifetime() {
            return completionWindow.plus(grantMargin);
        }
    }

    /**
     * Limits on what a client may do to the gateway itself, before it is authenticated.
     *
     * @param readTimeout longest silence while a request's headers or body are arriving ({@code read-timeout},
     *     default 10s); then 408 and the connection is closed
     * @param requestTimeout longest time to receive a whole request, headers and body ({@code request-timeout},
     *     default 60s); a client dribbling one byte per second is cut here
     * @param idleTimeout how long a kept-alive connection may sit without a request ({@code idle-timeout}, default 60s)
     * @param maxFailedAuthentications failed authentications one client address may have within
     *     {@code failed-authentication-window} ({@code max-failed-authentications}, default 20); beyond it every
     *     request from the address gets 429 until the window has passed
     * @param failedAuthenticationWindow the window of that count ({@code failed-authentication-window}, default 60s)
     * @param maxConcurrentStreams streamed completions one API key may have open at once on this instance
     *     ({@code max-concurrent-streams}, default 16)
     */
    public record ClientProperties(@DefaultValue("10s") Duration readTimeout,
            @DefaultValue("60s") Duration requestTimeout,
            @DefaultValue("60s") Duration idleTimeout,
            @DefaultValue("20") int maxFailedAuthentications,
            @DefaultValue("60s") Duration failedAuthenticationWindow,
            @DefaultValue("16") int maxConcurrentStreams) {
    }

    /**
     * Load shedding at the door, per instance: requests admitted and still waiting for their answer to begin.
     *
     * @param maxWaitingChat chat completions ({@code max-waiting-chat}, default 64): each one is a trip through
     *     guardrails, retrieval and the model, the dear part of the platform
     * @param maxWaitingOther every other request ({@code max-waiting-other}, default 256)
     * @param retryAfter what the 503 tells the client to wait ({@code retry-after}, default 1s, whole seconds)
     */
    public record AdmissionProperties(@DefaultValue("64") int maxWaitingChat, @DefaultValue("256") int maxWaitingOther,
            @DefaultValue("1s") Duration retryAfter) {
    }

    /**
     * Budgets: each chat completion reserves its estimate (prompt tokens + max tokens) before it is forwarded and
     * is reconciled with the real usage after; limits are per tenant, shared by all its keys and all instances.
     *
     * @param defaults the limits of a tenant not listed under {@code tenants} ({@code defaults.*})
     * @param tenants limits per tenant id ({@code tenants.<id>.*})
     * @param prices model prices in US dollars per million tokens ({@code prices.<model>.input} / {@code .output});
     *     a model without a price costs nothing
     * @param softLimitRatio past this share of any limit, responses carry {@code X-Platform-Budget-Warning}
     *     ({@code soft-limit-ratio}, default 0.8)
     * @param defaultMaxTokens the completion tokens reserved when a request names no {@code max_tokens}
     *     ({@code default-max-tokens}, default 1024)
     * @param failOpen Redis unreachable: true lets requests through unbudgeted with a warning header, false
     *     answers 503 ({@code fail-open}, default true)
     */
    public record BudgetProperties(@DefaultValue TenantBudget defaults, Map<String, TenantBudget> tenants,
            Map<String, ModelPrice> prices, @DefaultValue("0.8") double softLimitRatio,
            @DefaultValue("1024") int defaultMaxTokens, @DefaultValue("true") boolean failOpen) {

        public BudgetProperties {
            tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
            prices = prices == null ? Map.of() : Map.copyOf(prices);
        }

        public TenantBudget of(String tenant) {
            return tenants.getOrDefault(tenant, defaults);
        }
    }

    /**
     * @param tokensPerMinute prompt + completion tokens per calendar minute ({@code tokens-per-minute}, default 200000)
     * @param tokensPerDay per UTC day ({@code tokens-per-day}, default 5000000)
     * @param costPerMonth US dollars per UTC calendar month ({@code cost-per-month}, default 100)
     */
    public record TenantBudget(@DefaultValue("200000") long tokensPerMinute, @DefaultValue("5000000") long tokensPerDay,
            @DefaultValue("100") double costPerMonth) {
    }

    /**
     * @param input US dollars per million prompt tokens
     * @param output US dollars per million completion tokens
     */
    public record ModelPrice(double input, double output) {
    }

    /**
     * One tenant and its API keys.
     *
     * @param models model ids the tenant's keys may use unless a key names its own ({@code models})
     * @param rateLimit the token bucket each of the tenant's keys gets ({@code rate-limit.*})
     * @param keys the tenant's keys by a name that is only for people ({@code keys.<name>.*})
     */
    public record TenantProperties(List<String> models, RateLimitProperties rateLimit,
            Map<String, KeyProperties> keys) {

        public TenantProperties {
            models = models == null ? List.of() : List.copyOf(models);
            keys = keys == null ? Map.of() : Map.copyOf(keys);
        }
    }

    /**
     * One API key. Give the key's SHA-256 ({@code api-key-sha256}) or, for local development, the key itself
     * ({@code api-key}, hashed at startup). A key with neither is skipped: that is how optional keys are
     * switched on by an environment variable.
     *
     * @param apiKey the key in plain text, local development only
     * @param apiKeySha256 hex SHA-256 of the key: the way to configure a key anywhere else
     * @param scopes what the key may call: chat, documents, agent, evaluation, admin
     * @param models the key's models, if narrower than the tenant's
     */
    public record KeyProperties(String apiKey, String apiKeySha256, List<String> scopes, List<String> models) {

        public KeyProperties {
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
            models = models == null ? List.of() : List.copyOf(models);
        }

        /** Never print a key, not even into a startup failure message. */
        @Override
        public String toString() {
            return "KeyProperties[scopes=" + scopes + ", models=" + models + "]";
        }
    }

    /**
     * A token bucket in Redis (Spring Cloud Gateway's RedisRateLimiter), one per API key. The bucket holds up to
     * {@code burst-capacity} tokens and refills {@code replenish-rate} tokens per second; each request
     * takes {@code requested-tokens}. With the default of one token per request, replenish-rate is
     * requests per second and burst-capacity the largest burst.
     *
     * @param replenishRate tokens added per second ({@code replenish-rate}, at least 1)
     * @param burstCapacity bucket size in tokens ({@code burst-capacity}, at least replenish-rate)
     * @param requestedTokens tokens one request costs ({@code requested-tokens}, default 1)
     */
    public record RateLimitProperties(int replenishRate, long burstCapacity, @DefaultValue("1") int requestedTokens) {
    }
}
