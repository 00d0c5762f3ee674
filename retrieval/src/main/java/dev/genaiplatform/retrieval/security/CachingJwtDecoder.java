package dev.genaiplatform.retrieval.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Verifies each distinct internal token once per process. One request's token is the same string on every HTTP call
 * and Kafka record it causes, and an ES256 verification costs far more than a map lookup (it was a fifth of this
 * service's CPU under load), so the decoded {@link Jwt} is kept under the exact token string.
 *
 * <p>Why this is as safe as verifying every time: the key is the whole token, signature included, so a hit means these
 * exact bytes were verified before (signature, issuer, audience, tenant, expiry) and the value is exactly what that
 * verification produced. Only successes are cached (a forged or malformed token reaches the delegate every time and
 * cannot fill the cache); an entry lives until the token's own {@code exp} and at most {@code maxLifetime}, and a hit
 * past {@code exp} is verified again (and refused). What it does not do: notice a key the gateway revoked within a
 * token's lifetime (the JWK set is only refetched for unknown key ids anyway).
 */
public final class CachingJwtDecoder implements JwtDecoder {

    /** Entries kept at most: ~10k requests' tokens in flight, about 2 KB each. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    /** Upper bound of an entry's life, whatever the token's own expiry says. */
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(5);

    private final JwtDecoder delegate;
    private final Duration maxLifetime;
    private final Clock clock;
    private final Cache<String, Jwt> verified;

    public CachingJwtDecoder(JwtDecoder delegate) {
        this(delegate, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_LIFETIME, Clock.systemUTC());
    }

    public CachingJwtDecoder(JwtDecoder delegate, int maxEntries, Duration maxLifetime, Clock clock) {
        this.delegate = delegate;
        this.maxLifetime = maxLifetime;
        this.clock = clock;
        this.verified = Caffeine.newBuilder().maximumSize(maxEntries).expireAfter(new UntilTokenExpiry())
                .ticker(() -> nanos(clock.instant())).build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = verified.getIfPresent(token);
        if (known != null && clock.instant().isBefore(known.getExpiresAt())) {
            return known;
        }
        Jwt jwt = delegate.decode(token);
        if (jwt.getExpiresAt() != null && clock.instant().isBefore(jwt.getExpiresAt())) {
            verified.put(token, jwt); // a token without exp is never cached: its lifetime would be ours to invent
        }
        return jwt;
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /** How many verified tokens are held (approximate, for tests and metrics). */
    public long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    /** An entry lives until its token expires, never longer than {@code maxLifetime}. */
    private final class UntilTokenExpiry implements Expiry<String, Jwt> {
        @Override
        public long expireAfterCreate(String token, Jwt jwt, long currentTime) {
            Duration left = Duration.between(clock.instant(), jwt.getExpiresAt());
            Duration lifetime = left.compareTo(maxLifetime) < 0 ? left : maxLifetime;
            return lifetime.isNegative() ? 0 : lifetime.toNanos();
        }

        @Override
        public long expireAfterUpdate(String token, Jwt jwt, long currentTime, long currentDuration) {
            return expireAfterCreate(token, jwt, currentTime);
        }

        @Override
        public long expireAfterRead(String token, Jwt jwt, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
