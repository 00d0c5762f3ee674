package dev.genaiplatform.tokenverification;

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
 * Verifies each distinct internal token once per process. One request's token is the same string on every Kafka
 * record and HTTP call the request causes (an input check, a search, output checks, the completion event and its
 * verdict events), and an ES256 verification costs far more than a map lookup: before this cache it was most of
 * evaluation's CPU and a fifth of guardrails' and retrieval's.
 *
 * <p>Why this is as safe as verifying every time: the key is the whole token, signature included, so a hit means
 * these exact bytes were verified before, and the value is exactly what the delegate produced for them (signature,
 * issuer, audience, tenant, and expiry where the delegate checks it). Only successes are stored, so a flood of forged
 * or malformed tokens costs verifications but can neither fill nor poison the cache. An entry lives until the token's
 * own {@code exp} and at most {@code maxLifetime}; a cached token is never returned at or after its {@code exp} (it
 * goes back to the delegate, which decides), and a token without {@code exp} is never cached: its lifetime would be
 * ours to invent. What it does not do: notice that the gateway retired a key within a token's lifetime.
 */
public final class CachingJwtDecoder implements JwtDecoder {

    /** Entries kept at most: about 10k requests' tokens in flight, roughly 2 KB each. */
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

    /** The clock both judges {@code exp} and ages the entries, so a test moves one clock for both. */
    public CachingJwtDecoder(JwtDecoder delegate, int maxEntries, Duration maxLifetime, Clock clock) {
        this.delegate = delegate;
        this.maxLifetime = maxLifetime;
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .ticker(() -> nanos(clock.instant()))
                .expireAfter(Expiry.<String, Jwt>creating((token, jwt) -> lifetime(jwt)))
                .executor(Runnable::run) // evictions on the caller: a few map operations, no pool hand-over
                .build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        if (token == null) {
            throw new BadJwtException("no token");
        }
        Jwt known = verified.getIfPresent(token);
        if (known != null && beforeExpiry(known)) {
            return known;
        }
        Jwt jwt = delegate.decode(token);
        if (beforeExpiry(jwt)) {
            verified.put(token, jwt);
        }
        return jwt;
    }

    /** How many verified tokens are held (for tests and benchmarks). */
    public long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    private boolean beforeExpiry(Jwt jwt) {
        return jwt.getExpiresAt() != null && clock.instant().isBefore(jwt.getExpiresAt());
    }

    private Duration lifetime(Jwt jwt) {
        Duration untilExpiry = Duration.between(clock.instant(), jwt.getExpiresAt());
        if (untilExpiry.isNegative()) {
            return Duration.ZERO;
        }
        return untilExpiry.compareTo(maxLifetime) < 0 ? untilExpiry : maxLifetime;
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
