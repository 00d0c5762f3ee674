package dev.genaiplatform.tokenverification;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingJwtDecoderTests {

    private final ECKey gateway = generate();
    private final AtomicInteger verifications = new AtomicInteger();
    private final MovingClock clock = new MovingClock(Instant.now());

    @Test
    void theSameTokenIsVerifiedOnceAndAnswersTheSameClaimsEveryTime() {
        var decoder = new CachingJwtDecoder(counted(realDecoder()));
        String token = sign(gateway, "tenant-a", Instant.now().plusSeconds(120));

        Jwt first = decoder.decode(token);
        Jwt again = decoder.decode(token);

        assertThat(verifications).hasValue(1);
        assertThat(again).isSameAs(first);
        assertThat(again.getClaimAsString("tenant")).isEqualTo("tenant-a");
    }

    @Test
    void differentTokensAreEachVerified() {
        var decoder = new CachingJwtDecoder(counted(realDecoder()));

        decoder.decode(sign(gateway, "tenant-a", Instant.now().plusSeconds(120)));
        decoder.decode(sign(gateway, "tenant-b", Instant.now().plusSeconds(120)));

        assertThat(verifications).hasValue(2);
    }

    @Test
    void aForgedOrExpiredTokenIsRefusedEveryTimeAndNeverRemembered() {
        var decoder = new CachingJwtDecoder(counted(realDecoder()));
        String forged = sign(generate(), "tenant-a", Instant.now().plusSeconds(120));
        String expired = sign(gateway, "tenant-a", Instant.now().minusSeconds(300));

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(JwtException.class);
            assertThatThrownBy(() -> decoder.decode(expired)).isInstanceOf(JwtException.class);
        }

        assertThat(verifications).hasValue(4);
        assertThat(decoder.size()).isZero();
    }

    @Test
    void noTokenIsABadTokenNotANullPointer() {
        var decoder = new CachingJwtDecoder(counted(realDecoder()));

        assertThatThrownBy(() -> decoder.decode(null)).isInstanceOf(BadJwtException.class);
        assertThat(verifications).hasValue(0);
    }

    @Test
    void aCachedTokenGoesBackToTheDelegateOnceItsOwnExpiryHasPassed() {
        var decoder = new CachingJwtDecoder(counted(trusting()), 100, Duration.ofMinutes(5), clock);
        String token = "expires-in-2-minutes";
        decoder.decode(token);

        clock.advance(Duration.ofMinutes(3));

        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtException.class);
        assertThat(verifications).hasValue(2);
    }

    @Test
    void noEntryOutlivesTheMaximumLifetimeEvenWhenTheTokenDoes() {
        var decoder = new CachingJwtDecoder(counted(trusting()), 100, Duration.ofMinutes(5), clock);
        String token = "expires-in-30-minutes";
        decoder.decode(token);
        decoder.decode(token);

        clock.advance(Duration.ofMinutes(6));
        decoder.decode(token);

        assertThat(verifications).hasValue(2);
    }

    @Test
    void aTokenWithoutExpiryIsNeverCached() {
        var decoder = new CachingJwtDecoder(counted(trusting()), 100, Duration.ofMinutes(5), clock);

        decoder.decode("no-expiry");
        decoder.decode("no-expiry");

        assertThat(verifications).hasValue(2);
        assertThat(decoder.size()).isZero();
    }

    @Test
    void theCacheHoldsAtMostItsMaximumNumberOfTokens() {
        var decoder = new CachingJwtDecoder(counted(trusting()), 3, Duration.ofMinutes(5), clock);
        for (int i = 0; i < 10; i++) {
            decoder.decode("expires-in-30-minutes-" + i);
        }

        assertThat(decoder.size()).isLessThanOrEqualTo(3);
    }

    /** Spring's decoder with this library's verifiers, checking signature and expiry against the real clock. */
    private JwtDecoder realDecoder() {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<>(new JWKSet(gateway.toPublicJWK())))
                .jwsAlgorithm(SignatureAlgorithm.ES256)
                .jwtProcessorCustomizer(processor -> processor.setJWSVerifierFactory(InternalTokenDecoding.VERIFIERS))
                .build();
        decoder.setClaimSetConverter(InternalTokenDecoding.claims());
        return decoder;
    }

    /**
     * Stands in for the signature check where the clock must move: accepts any token, reads its lifetime from its name
     * ({@code expires-in-N-minutes...}, counted from the first time it is seen) and refuses it past that, as the real
     * decoder would.
     */
    private JwtDecoder trusting() {
        var firstSeen = new java.util.concurrent.ConcurrentHashMap<String, Instant>();
        return token -> {
            Instant issuedAt = firstSeen.computeIfAbsent(token, t -> clock.instant());
            var jwt = Jwt.withTokenValue(token).header("alg", "ES256").claim("tenant", "acme").issuedAt(issuedAt);
            if (token.startsWith("expires-in-")) {
                Instant expiresAt = issuedAt.plus(Duration.ofMinutes(Long.parseLong(token.split("-")[2])));
                if (!clock.instant().isBefore(expiresAt)) {
                    throw new BadJwtException("Jwt expired at " + expiresAt);
                }
                jwt.expiresAt(expiresAt);
            }
            return jwt.build();
        };
    }

    private JwtDecoder counted(JwtDecoder delegate) {
        return token -> {
            verifications.incrementAndGet();
            return delegate.decode(token);
        };
    }

    private static String sign(ECKey key, String tenant, Instant expiresAt) {
        try {
            var claims = new JWTClaimsSet.Builder().issuer("genai-platform-gateway").claim("tenant", tenant)
                    .issueTime(Date.from(expiresAt.minusSeconds(300))).expirationTime(Date.from(expiresAt)).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("gateway-test").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
