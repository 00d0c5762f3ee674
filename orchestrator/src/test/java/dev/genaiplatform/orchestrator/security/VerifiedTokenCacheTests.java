package dev.genaiplatform.orchestrator.security;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerifiedTokenCacheTests {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-06T11:00:00Z"));
    private final VerifiedTokenCache cache = new VerifiedTokenCache(100, Duration.ofMinutes(5), this.clock);
    /** Plays the real decoder: tokens it knows, with their expiry; refuses unknown and expired ones. */
    private final Map<String, Instant> issued = new ConcurrentHashMap<>();
    private final AtomicInteger verifications = new AtomicInteger();
    private final JwtDecoder delegate = token -> {
        this.verifications.incrementAndGet();
        Instant expires = this.issued.get(token);
        if (expires == null) {
            throw new BadJwtException("bad signature");
        }
        if (!this.clock.instant().isBefore(expires)) {
            throw new JwtValidationException("expired", List.of(new OAuth2Error("invalid_token")));
        }
        return Jwt.withTokenValue(token).header("alg", "ES256").claim("tenant", "acme")
                .issuedAt(expires.minusSeconds(600)).expiresAt(expires).build();
    };
    private final JwtDecoder decoder = this.cache.decoder(this.delegate);

    @Test
    void theSameTokenIsVerifiedOnceAndGivesTheSameJwt() {
        this.issued.put("t1", this.clock.instant().plusSeconds(120));

        Jwt first = this.decoder.decode("t1");
        Jwt second = this.decoder.decode("t1");

        assertThat(second).isSameAs(first);
        assertThat(this.verifications).hasValue(1);
    }

    @Test
    void httpAndKafkaShareTheCache() {
        this.issued.put("t1", this.clock.instant().plusSeconds(120));
        var reactive = this.cache.reactiveDecoder(token -> Mono.fromCallable(() -> this.delegate.decode(token)));

        Jwt overHttp = reactive.decode("t1").block();
        Jwt onARecord = this.decoder.decode("t1");

        assertThat(onARecord).isSameAs(overHttp);
        assertThat(this.verifications).hasValue(1);
    }

    @Test
    void aTokenIsRefusedOnceItExpiresEvenAfterItWasCached() {
        this.issued.put("t1", this.clock.instant().plusSeconds(60));
        this.decoder.decode("t1");

        this.clock.advance(Duration.ofSeconds(61));

        assertThatThrownBy(() -> this.decoder.decode("t1")).isInstanceOf(JwtValidationException.class);
        assertThat(this.verifications).hasValue(2);
    }

    @Test
    void anEntryLivesAtMostTheLifetimeCapEvenForALongLivedToken() {
        this.issued.put("t1", this.clock.instant().plus(Duration.ofHours(1)));
        this.decoder.decode("t1");

        this.clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        this.decoder.decode("t1");

        assertThat(this.verifications).hasValue(2);
    }

    @Test
    void aBadTokenIsVerifiedEveryTimeAndNeverStored() {
        assertThatThrownBy(() -> this.decoder.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> this.decoder.decode("forged")).isInstanceOf(BadJwtException.class);
        var reactive = this.cache.reactiveDecoder(token -> Mono.fromCallable(() -> this.delegate.decode(token)));
        assertThatThrownBy(() -> reactive.decode("forged").block()).isInstanceOf(BadJwtException.class);

        assertThat(this.verifications).hasValue(3);
        assertThat(this.cache.size()).isZero();
    }

    @Test
    void aTokenAcceptedWithinTheClockSkewAfterItsExpiryIsNotStored() {
        Instant expires = this.clock.instant().minusSeconds(10);
        JwtDecoder lenient = token -> Jwt.withTokenValue(token).header("alg", "ES256").claim("tenant", "acme")
                .issuedAt(expires.minusSeconds(600)).expiresAt(expires).build();

        this.cache.decoder(lenient).decode("late");

        assertThat(this.cache.size()).isZero();
    }

    @Test
    void theCacheHoldsNoMoreThanItsBound() {
        VerifiedTokenCache small = new VerifiedTokenCache(10, Duration.ofMinutes(5), this.clock);
        JwtDecoder bounded = small.decoder(this.delegate);
        for (int i = 0; i < 50; i++) {
            this.issued.put("t" + i, this.clock.instant().plusSeconds(120));
            bounded.decode("t" + i);
        }

        assertThat(small.size()).isLessThanOrEqualTo(10);
    }

    private static final class MovableClock extends Clock {

        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            this.now = this.now.plus(by);
        }

        @Override
        public Instant instant() {
            return this.now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
