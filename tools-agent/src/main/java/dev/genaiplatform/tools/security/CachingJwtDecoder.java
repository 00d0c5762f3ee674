package dev.genaiplatform.tools.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Verifies each distinct internal token once per process. One request's token is the same string on every event
 * it carries (tool invocations over Kafka, a status query, an approval decision, HTTP and MCP calls); an ES256 verification
 * costs far more than a map lookup.
 *
 * <p>Why it is safe: the key is the exact token string, the value exactly what the delegate produced for those
 * bytes after checking signature, issuer, audience, tenant and expiry. Only successes are stored,
 * so a flood of forged tokens costs verifications but never fills the cache. An entry lives until the token's own
 * {@code exp} and at most {@code maxLifetime}; a token is never answered from the cache at or after its
 * {@code exp} (it goes back to the delegate, which decides). A token without {@code exp} is never cached.
 */
public final class CachingJwtDecoder implements JwtDecoder {

    public static final long DEFAULT_MAX_ENTRIES = 10_000;
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(5);

    private final JwtDecoder delegate;
    private final Clock clock;
    private final Cache<String, Jwt> verified;

    public CachingJwtDecoder(JwtDecoder delegate) {
        this(delegate, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_LIFETIME, Clock.systemUTC(), Ticker.systemTicker());
    }

    /** For tests: a clock that judges {@code exp} and a ticker that ages entries, moved together. */
    CachingJwtDecoder(JwtDecoder delegate, long maxEntries, Duration maxLifetime, Clock clock, Ticker ticker) {
        this.delegate = delegate;
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(Expiry.<String, Jwt>creating((token, jwt) -> lifetime(jwt, maxLifetime)))
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    @Override
    public Jwt decode(String token) {
        Jwt cached = verified.getIfPresent(token);
        if (cached != null && clock.instant().isBefore(cached.getExpiresAt())) {
            return cached;
        }
        Jwt jwt = delegate.decode(token);
        if (jwt.getExpiresAt() != null && clock.instant().isBefore(jwt.getExpiresAt())) {
            verified.put(token, jwt);
        }
        return jwt;
    }

    /** Tokens currently remembered (for tests and the benchmark). */
    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    private Duration lifetime(Jwt jwt, Duration maxLifetime) {
        Instant expiresAt = jwt.getExpiresAt();
        Duration untilExpiry = expiresAt == null ? Duration.ZERO : Duration.between(clock.instant(), expiresAt);
        return untilExpiry.compareTo(maxLifetime) < 0 ? untilExpiry : maxLifetime;
    }
}
