package dev.genaiplatform.orchestrator.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Internal tokens this process already verified, so the same token is checked once, not on every HTTP call and
 * record it comes with (one request's token is the same string on every record it causes, and an ES256 verify
 * costs about 0.1 ms of CPU each time).
 *
 * <p>Why this is as safe as verifying every time: the key is the exact token string and the value is exactly the
 * {@link Jwt} that verification produced for those bytes, after signature, issuer, audience, tenant and expiry were
 * all checked. Only successes are stored: a forged or garbled token is verified (and refused) every time, and cannot
 * fill the cache. An entry lives until the token's own {@code exp} (at most {@code maxLifetime}), so an expired token
 * is refused again by the decoder, exactly as without the cache. Bounded in entries, least recently used first out.
 * What it does not do: forget a token whose signing key the gateway withdraws before the token expires (the decoder
 * alone would refuse it once it refetched the JWK set); tokens live minutes, and the lifetime cap bounds that too.
 */
public final class VerifiedTokenCache {

    private final Cache<String, Jwt> verified;
    private final Clock clock;
    private final Duration maxLifetime;

    public VerifiedTokenCache(long maxEntries, Duration maxLifetime, Clock clock) {
        this.clock = clock;
        this.maxLifetime = maxLifetime;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfter(Expiry.<String, Jwt>creating((token, jwt) -> lifetime(jwt)))
                .build();
    }

    /** Five minutes at most, ten thousand tokens: well above the requests of five minutes on one instance. */
    public static VerifiedTokenCache standard() {
        return new VerifiedTokenCache(10_000, Duration.ofMinutes(5), Clock.systemUTC());
    }

    /** The blocking decoder (Kafka records), verifying through {@code delegate} on a miss. */
    public JwtDecoder decoder(JwtDecoder delegate) {
        return token -> {
            Jwt known = known(token);
            if (known != null) {
                return known;
            }
            Jwt jwt = delegate.decode(token);   // throws on any failure: nothing is stored
            remember(token, jwt);
            return jwt;
        };
    }

    /** The reactive decoder (HTTP), verifying through {@code delegate} on a miss. */
    public ReactiveJwtDecoder reactiveDecoder(ReactiveJwtDecoder delegate) {
        return token -> {
            Jwt known = known(token);
            return known != null ? Mono.just(known) : delegate.decode(token).doOnNext(jwt -> remember(token, jwt));
        };
    }

    public long size() {
        this.verified.cleanUp();
        return this.verified.estimatedSize();
    }

    /** The cached result for this exact token, if it has not expired (checked again: a clock can jump). */
    private Jwt known(String token) {
        Jwt known = this.verified.getIfPresent(token);
        return known != null && known.getExpiresAt() != null && known.getExpiresAt().isAfter(this.clock.instant())
                ? known : null;
    }

    private void remember(String token, Jwt jwt) {
        // a token the decoder accepted within its clock skew after exp is not kept: it would expire on arrival
        if (lifetime(jwt).isPositive()) {
            this.verified.put(token, jwt);
        }
    }

    private Duration lifetime(Jwt jwt) {
        Instant expiresAt = jwt.getExpiresAt();
        if (expiresAt == null) {
            return Duration.ZERO;   // the decoders here refuse such a token anyway; never keep one without an end
        }
        Duration untilExpiry = Duration.between(this.clock.instant(), expiresAt);
        return untilExpiry.compareTo(this.maxLifetime) < 0 ? untilExpiry : this.maxLifetime;
    }
}
