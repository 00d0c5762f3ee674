package dev.genaiplatform.retrieval.security;

import dev.genaiplatform.retrieval.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingJwtDecoderTests {

    /** The service's real verification (signature by the test gateway key, iss, aud, tenant, expiry), counted. */
    private final AtomicInteger verifications = new AtomicInteger();
    private final JwtDecoder real = realDecoder();
    private final JwtDecoder counted = token -> {
        verifications.incrementAndGet();
        return real.decode(token);
    };
    private final MutableClock clock = new MutableClock(Instant.now());

    @Test
    void theSameTokenIsVerifiedOnceAndGivesTheSameClaimsEveryTime() {
        var decoder = new CachingJwtDecoder(counted, 100, Duration.ofMinutes(5), clock);
        String token = TestTokens.token("tenant-a", "finance");

        Jwt first = decoder.decode(token);
        Jwt second = decoder.decode(token);
        Jwt third = decoder.decode(token);

        assertThat(verifications).hasValue(1);
        assertThat(second).isSameAs(first);
        assertThat(third.getClaimAsString("tenant")).isEqualTo("tenant-a");
    }

    @Test
    void differentTokensAreEachVerified() {
        var decoder = new CachingJwtDecoder(counted, 100, Duration.ofMinutes(5), clock);

        decoder.decode(TestTokens.token("tenant-a"));
        decoder.decode(TestTokens.token("tenant-b"));

        assertThat(verifications).hasValue(2);
    }

    @Test
    void aForgedTokenIsRefusedEveryTimeAndNeverCached() {
        var decoder = new CachingJwtDecoder(counted, 100, Duration.ofMinutes(5), clock);
        String forged = TestTokens.builder("tenant-a").signedByAnotherKey().sign();

        assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(JwtException.class);

        assertThat(verifications).hasValue(2);
        assertThat(decoder.size()).isZero();
    }

    @Test
    void anExpiredTokenIsRefusedAndNotCached() {
        var decoder = new CachingJwtDecoder(counted, 100, Duration.ofMinutes(5), Clock.systemUTC());
        String expired = TestTokens.builder("tenant-a").expiresAt(Instant.now().minus(Duration.ofMinutes(5))).sign();

        assertThatThrownBy(() -> decoder.decode(expired)).isInstanceOf(JwtException.class);
        assertThat(decoder.size()).isZero();
    }

    @Test
    void aCachedTokenIsVerifiedAgainOnceItsOwnExpiryHasPassed() {
        var decoder = new CachingJwtDecoder(counted, 100, Duration.ofMinutes(5), clock);
        String token = TestTokens.builder("tenant-a").expiresAt(Instant.now().plus(Duration.ofMinutes(2))).sign();
        decoder.decode(token);

        clock.advance(Duration.ofMinutes(3)); // past exp: the cache must not answer for it any more

        decoder.decode(token); // the delegate decides (a real clock would refuse it now)
        assertThat(verifications).hasValue(2);
    }

    @Test
    void noEntryOutlivesTheMaximumLifetimeEvenIfTheTokenDoes() {
        var decoder = new CachingJwtDecoder(counted, 100, Duration.ofMinutes(5), clock);
        String token = TestTokens.builder("tenant-a").expiresAt(Instant.now().plus(Duration.ofMinutes(30))).sign();
        decoder.decode(token);
        decoder.decode(token);

        clock.advance(Duration.ofMinutes(6));
        decoder.decode(token);

        assertThat(verifications).hasValue(2);
    }

    @Test
    void theCacheHoldsAtMostItsMaximumNumberOfTokens() {
        var decoder = new CachingJwtDecoder(counted, 3, Duration.ofMinutes(5), clock);
        for (int i = 0; i < 10; i++) {
            decoder.decode(TestTokens.token("tenant-" + i));
        }

        assertThat(decoder.size()).isLessThanOrEqualTo(3);
    }

    private static JwtDecoder realDecoder() {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(TestTokens.jwkSetUri()).jwsAlgorithm(SignatureAlgorithm.ES256).build();
        decoder.setJwtValidator(SecurityConfiguration.internalTokenValidator());
        return decoder;
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
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
