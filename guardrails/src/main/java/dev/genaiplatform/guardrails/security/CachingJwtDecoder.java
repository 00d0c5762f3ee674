package dev.genaiplatform.guardrails.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Verifies each distinct internal token once per process. One request's token is the same string on every
 * Kafka record and HTTP call the request causes (input check, every passage screen, every answer window), and
 * an ES256 verification costs far more than a map lookup.
 *
 * <p>Why this is safe: the key is the exact token string and the value is exactly what the delegate produced
 * for those bytes, after it checked signature, issuer, audience, tenant and expiry. Only successes are cached
 * (a failure is never remembered, so garbage cannot fill the cache or poison it). An entry lives until the
 * token's own {@code exp} and at most {@code maxLifetime}, so an expired token goes back to the delegate,
 * which refuses it. Bounded in size; Caffeine evicts the least useful entries first.
 */
public final class CachingJwtDecoder implements JwtDecoder {

    private final JwtDecoder delegate;
    private final Clock clock;
    private final Cache<String, Jwt> verified;

    public CachingJwtDecoder(JwtDecoder delegate, int maxEntries, Duration maxLifetime, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfter(Expiry.<String, Jwt>creating((token, jwt) -> lifetime(jwt, maxLifetime)))
                .build();
    }

    public CachingJwtDecoder(JwtDecoder delegate) {
        this(delegate, 10_000, Duration.ofMinutes(5), Clock.systemUTC());
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        if (token == null) {
            throw new BadJwtException("no token");
        }
        Jwt cached = verified.getIfPresent(token);
        if (cached != null && stillValid(cached)) {
            return cached;
        }
        Jwt jwt = delegate.decode(token);
        if (jwt.getExpiresAt() != null && stillValid(jwt)) {
            verified.put(token, jwt);
        }
        return jwt;
    }

    /** Belt and braces beside the entry's lifetime: a cached token past its {@code exp} is never returned. */
    private boolean stillValid(Jwt jwt) {
        return jwt.getExpiresAt() != null && clock.instant().isBefore(jwt.getExpiresAt());
    }

    private Duration lifetime(Jwt jwt, Duration maxLifetime) {
        Instant expiresAt = jwt.getExpiresAt();
        Duration untilExpiry = expiresAt == null ? Duration.ZERO : Duration.between(clock.instant(), expiresAt);
        if (untilExpiry.isNegative()) {
            return Duration.ZERO;
        }
        return untilExpiry.compareTo(maxLifetime) < 0 ? untilExpiry : maxLifetime;
    }

    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }
}
