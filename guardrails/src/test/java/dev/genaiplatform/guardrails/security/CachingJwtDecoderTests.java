package dev.genaiplatform.guardrails.security;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import dev.genaiplatform.guardrails.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingJwtDecoderTests {

    /** The real verifier (test key, production validators), counting how often it is asked. */
    private static final class Counting implements JwtDecoder {
        final AtomicInteger calls = new AtomicInteger();
        final JwtDecoder real;

        Counting() {
            NimbusJwtDecoder decoder = NimbusJwtDecoder
                    .withJwkSource(new ImmutableJWKSet<>(new JWKSet(TestTokens.GATEWAY_KEY.toPublicJWK())))
                    .jwsAlgorithm(SignatureAlgorithm.ES256).build();
            decoder.setJwtValidator(InternalTokenSecurity.validator());
            this.real = decoder;
        }

        @Override
        public Jwt decode(String token) {
            calls.incrementAndGet();
            return real.decode(token);
        }
    }

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        Instant now = Instant.now();

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theSameTokenIsVerifiedOnceAndGivesTheSameClaims() {
        Counting delegate = new Counting();
        CachingJwtDecoder decoder = new CachingJwtDecoder(delegate);
        String token = TestTokens.token("tenant-a", "chat");

        for (int i = 0; i < 50; i++) {
            assertThat(decoder.decode(token).getClaimAsString("tenant")).isEqualTo("tenant-a");
        }

        assertThat(delegate.calls).hasValue(1);
        assertThat(decoder.decode(TestTokens.token("tenant-b", "chat")).getClaimAsString("tenant")).isEqualTo("tenant-b");
        assertThat(delegate.calls).hasValue(2);
    }

    @Test
    void aBadTokenIsRefusedEveryTimeAndNeverCached() {
        Counting delegate = new Counting();
        CachingJwtDecoder decoder = new CachingJwtDecoder(delegate);
        String foreign = TestTokens.sign(TestTokens.OTHER_KEY, TestTokens.claims("tenant-a", "chat").build());

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> decoder.decode(foreign)).isInstanceOf(JwtException.class);
            String garbage = "garbage-" + i;
            assertThatThrownBy(() -> decoder.decode(garbage)).isInstanceOf(JwtException.class);
        }

        assertThat(delegate.calls).hasValue(6);
        assertThat(decoder.size()).isZero();
    }

    @Test
    void anExpiredTokenIsRefused() {
        Counting delegate = new Counting();
        CachingJwtDecoder decoder = new CachingJwtDecoder(delegate);
        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        String expired = TestTokens.sign(TestTokens.GATEWAY_KEY, TestTokens.claims("tenant-a", "chat")
                .issueTime(Date.from(past.minusSeconds(60))).expirationTime(Date.from(past)).build());

        assertThatThrownBy(() -> decoder.decode(expired)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder.decode(expired)).isInstanceOf(JwtException.class);
        assertThat(delegate.calls).hasValue(2);
    }

    @Test
    void aCachedTokenIsNotServedPastItsExpiry() {
        MovableClock clock = new MovableClock();
        AtomicInteger calls = new AtomicInteger();
        Instant expiresAt = clock.now.plusSeconds(30);
        // a verifier that judges expiry by the test's clock, as the real one does by the wall clock
        JwtDecoder delegate = token -> {
            calls.incrementAndGet();
            if (!clock.instant().isBefore(expiresAt)) {
                throw new BadJwtException("expired");
            }
            return Jwt.withTokenValue(token).header("alg", "ES256").claim("tenant", "tenant-a")
                    .issuedAt(expiresAt.minusSeconds(120)).expiresAt(expiresAt).build();
        };
        CachingJwtDecoder decoder = new CachingJwtDecoder(delegate, 100, Duration.ofMinutes(5), clock);

        decoder.decode("t");
        clock.now = clock.now.plusSeconds(29);
        decoder.decode("t");
        assertThat(calls).hasValue(1);

        clock.now = clock.now.plusSeconds(2);
        assertThatThrownBy(() -> decoder.decode("t")).isInstanceOf(JwtException.class);
        assertThat(calls).hasValue(2);
    }

    @Test
    void anEntryLivesAtMostTheMaximumLifetimeAndTheCacheIsBounded() {
        MovableClock clock = new MovableClock();
        AtomicInteger calls = new AtomicInteger();
        Instant expiresAt = clock.now.plus(Duration.ofHours(1));
        JwtDecoder delegate = token -> {
            calls.incrementAndGet();
            return Jwt.withTokenValue(token).header("alg", "ES256").claim("tenant", "tenant-a")
                    .issuedAt(clock.now).expiresAt(expiresAt).build();
        };
        CachingJwtDecoder decoder = new CachingJwtDecoder(delegate, 10, Duration.ofMinutes(5), clock);

        decoder.decode("t");
        clock.now = clock.now.plus(Duration.ofMinutes(5)).plusSeconds(1);
        decoder.decode("t");
        assertThat(calls).hasValue(2);

        for (int i = 0; i < 1_000; i++) {
            decoder.decode("token-" + i);
        }
        assertThat(decoder.size()).isLessThanOrEqualTo(10);
    }
}
