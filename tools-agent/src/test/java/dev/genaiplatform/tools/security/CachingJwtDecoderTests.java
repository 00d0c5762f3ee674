package dev.genaiplatform.tools.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.genaiplatform.tools.support.TestTokens;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A token is verified once, only successes are remembered, and nothing is answered from memory past its expiry. */
class CachingJwtDecoderTests {

    private final MovingTime time = new MovingTime(Instant.parse("2026-12-06T10:00:00Z"));

    @Test
    void theSameTokenIsVerifiedOnce() {
        var delegate = new CountingDecoder(time, Duration.ofMinutes(5));
        var cut = new CachingJwtDecoder(delegate, 100, Duration.ofMinutes(5), time.clock(), time::nanos);

        Jwt first = cut.decode("token-a");
        assertThat(cut.decode("token-a")).isSameAs(first);
        assertThat(cut.decode("token-a")).isSameAs(first);
        cut.decode("token-b");

        assertThat(delegate.calls.get()).isEqualTo(2);
        assertThat(cut.size()).isEqualTo(2);
    }

    @Test
    void aTokenPastItsExpiryGoesBackToTheVerifierWhichRefusesIt() {
        var delegate = new CountingDecoder(time, Duration.ofSeconds(60));
        var cut = new CachingJwtDecoder(delegate, 100, Duration.ofMinutes(5), time.clock(), time::nanos);
        cut.decode("token-a");

        time.advance(Duration.ofSeconds(61));

        assertThatThrownBy(() -> cut.decode("token-a")).isInstanceOf(BadJwtException.class).hasMessageContaining("expired");
        assertThat(delegate.calls.get()).isEqualTo(2);
        assertThat(cut.size()).isZero();
    }

    @Test
    void anEntryLivesAtMostTheMaximumLifetimeEvenForALongLivedToken() {
        var delegate = new CountingDecoder(time, Duration.ofHours(1));
        var cut = new CachingJwtDecoder(delegate, 100, Duration.ofMinutes(5), time.clock(), time::nanos);
        cut.decode("token-a");
        time.advance(Duration.ofMinutes(4));
        cut.decode("token-a");
        assertThat(delegate.calls.get()).isEqualTo(1);

        time.advance(Duration.ofMinutes(1).plusSeconds(1));
        cut.decode("token-a");

        assertThat(delegate.calls.get()).isEqualTo(2);
    }

    @Test
    void aRefusedTokenIsNeverRemembered() {
        var delegate = new CountingDecoder(time, Duration.ofMinutes(5));
        var cut = new CachingJwtDecoder(delegate, 100, Duration.ofMinutes(5), time.clock(), time::nanos);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cut.decode("forged")).isInstanceOf(BadJwtException.class);
        }

        assertThat(delegate.calls.get()).isEqualTo(3);
        assertThat(cut.size()).isZero();
    }

    @Test
    void withARealDecoderAnExpiredOrForeignTokenIsRefusedEveryTimeAndAGoodOneVerifiedOnce() {
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                new ImmutableJWKSet<>(new JWKSet(TestTokens.GATEWAY_KEY.toPublicJWK()))));
        var real = new NimbusJwtDecoder(processor); // default validators: expiry included
        var cut = new CachingJwtDecoder(real);
        String expired = TestTokens.builder("acme", "ada").expiresAt(Instant.now().minusSeconds(120)).sign();
        String foreign = TestTokens.builder("acme", "ada").signedBy(TestTokens.STRANGER_KEY).sign();
        String good = TestTokens.token("acme", "ada");

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cut.decode(expired)).isInstanceOf(JwtException.class);
            assertThatThrownBy(() -> cut.decode(foreign)).isInstanceOf(JwtException.class);
            assertThat(cut.decode(good).getClaimAsString("tenant")).isEqualTo("acme");
        }

        assertThat(cut.size()).isEqualTo(1);
    }

    /** Stands for the signature check: counts calls, refuses {@code forged} and anything past its expiry. */
    private static final class CountingDecoder implements JwtDecoder {
        final AtomicInteger calls = new AtomicInteger();
        private final MovingTime time;
        private final Duration lifetime;
        private Instant issuedAt;

        CountingDecoder(MovingTime time, Duration lifetime) {
            this.time = time;
            this.lifetime = lifetime;
        }

        @Override
        public Jwt decode(String token) {
            calls.incrementAndGet();
            if (token.equals("forged")) {
                throw new BadJwtException("bad signature");
            }
            if (issuedAt == null) {
                issuedAt = time.now();
            }
            Instant expiresAt = issuedAt.plus(lifetime);
            if (!time.now().isBefore(expiresAt)) {
                throw new BadJwtException("Jwt expired at " + expiresAt);
            }
            return Jwt.withTokenValue(token).header("alg", "ES256").claim("tenant", "acme")
                    .issuedAt(issuedAt).expiresAt(expiresAt).build();
        }
    }

    /** A wall clock (judges exp) and a ticker (ages cache entries) that move together. */
    private static final class MovingTime {
        private final long startNanos = 1_000_000_000L;
        private final Instant start;
        private Duration elapsed = Duration.ZERO;

        MovingTime(Instant start) {
            this.start = start;
        }

        void advance(Duration by) {
            elapsed = elapsed.plus(by);
        }

        Instant now() {
            return start.plus(elapsed);
        }

        long nanos() {
            return startNanos + elapsed.toNanos();
        }

        Clock clock() {
            return new Clock() {
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
                    return now();
                }
            };
        }
    }
}
