package dev.genaiplatform.gateway.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.gateway.tenant.ApiKey;
import dev.genaiplatform.gateway.tenant.Tenant;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeyRingTests {

    private static final ApiKey KEY = new ApiKey("0123456789abcdef", new Tenant("acme", new Tenant.RateLimit(1, 1, 1)),
            Set.of("chat"), List.of("sim-small"));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T00:00:00Z"));

    private final SigningKeyRing ring = new SigningKeyRing(Duration.ofHours(24), Duration.ofMinutes(3), clock);

    private final InternalTokenIssuer issuer = new InternalTokenIssuer(ring, Duration.ofMinutes(2), Duration.ofSeconds(60), clock);

    @Test
    void aVerifierThatFetchedTheKeysBeforeARotationVerifiesTokensSignedAfterIt() {
        JwtDecoder staleVerifier = verifier(ring.publicKeys());
        clock.advance(Duration.ofMinutes(5));
        ring.rotate();
        assertThat(staleVerifier.decode(issuer.issue(KEY, "r1", null)).getClaimAsString("tenant")).isEqualTo("acme");
    }

    @Test
    void tokensSignedBeforeARotationStillVerifyWithTheKeysPublishedAfterIt() {
        clock.advance(Duration.ofMinutes(3).minusSeconds(1));
        String before = issuer.issue(KEY, "r1", null); // signed a second before the rotation
        clock.advance(Duration.ofSeconds(1));
        ring.rotate();
        clock.advance(Duration.ofMinutes(1));
        assertThat(verifier(ring.publicKeys()).decode(before).getSubject()).isEqualTo(KEY.id());
    }

    @Test
    void refusesTwoRotationsWithinOneTokenLifetime() {
        clock.advance(Duration.ofMinutes(5));
        ring.rotate();
        clock.advance(Duration.ofMinutes(1));
        assertThatThrownBy(ring::rotate).isInstanceOf(SigningKeyRing.TooEarlyException.class)
            .satisfies(e -> assertThat(((SigningKeyRing.TooEarlyException) e).waitFor()).isEqualTo(Duration.ofMinutes(2)));
        clock.advance(Duration.ofMinutes(2));
        ring.rotate();
    }

    @Test
    void rotatesByItselfOnceTheIntervalHasPassed() {
        String firstKid = ring.signingKey().getKeyID();
        clock.advance(Duration.ofHours(24));
        assertThat(ring.signingKey().getKeyID()).isNotEqualTo(firstKid);
        assertThat(ring.publicKeys().getKeyByKeyId(firstKid)).isNotNull(); // now the previous key
    }

    @Test
    void publishesNoPrivateKeyMaterial() {
        clock.advance(Duration.ofMinutes(5));
        ring.rotate();
        assertThat(ring.publicKeys().getKeys()).hasSize(3).allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
    }

    @Test
    void aTokenExpiresOneSkewAfterTheDeadline() {
        String token = issuer.issue(KEY, "r1", null);
        JwtDecoder verifier = verifier(ring.publicKeys());
        assertThat(((Number) verifier.decode(token).getClaim(InternalToken.CLAIM_DEADLINE)).longValue())
            .isEqualTo(clock.instant().plus(Duration.ofMinutes(2)).toEpochMilli());
        clock.advance(Duration.ofMinutes(3).plusSeconds(61));
        assertThatThrownBy(() -> verifier.decode(token)).isInstanceOf(BadJwtException.class);
    }

    private JwtDecoder verifier(JWKSet keys) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<SecurityContext>(keys))
            .jwsAlgorithm(org.springframework.security.oauth2.jose.jws.SignatureAlgorithm.ES256).build();
        org.springframework.security.oauth2.jwt.JwtTimestampValidator expiry =
                new org.springframework.security.oauth2.jwt.JwtTimestampValidator(Duration.ZERO);
        expiry.setClock(clock);
        decoder.setJwtValidator(expiry);
        return decoder;
    }

    private static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant now) {
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
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
