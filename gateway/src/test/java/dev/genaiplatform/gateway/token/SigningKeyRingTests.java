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

    /** A batch grant's lifetime: a 24 h window plus a 15 min margin. */
    private static final Duration GRANT_LIFE = Duration.ofHours(24).plusMinutes(15);

    private final SigningKeyRing ring = new SigningKeyRing(Duration.ofHours(24), Duration.ofMinutes(3),
            GRANT_LIFE.plusMinutes(3), clock);

    private final InternalTokenIssuer issuer = new InternalTokenIssuer(ring, Duration.ofMinutes(2), Duration.ofSeconds(60),
            GRANT_LIFE, clock);

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
    void anEventTokenNamesTheTenantAndTheActingAdminWithScopeAdminOnly() {
        var event = verifier(ring.publicKeys()).decode(issuer.issueForEvent("acme", "admin-key-1", "evt-1"));
        assertThat(event.getClaimAsString("tenant")).isEqualTo("acme");
        assertThat(event.getSubject()).isEqualTo("admin-key-1");
        assertThat(event.getClaimAsString("scope")).isEqualTo("admin");
        assertThat(event.getClaimAsString("rid")).isEqualTo("evt-1");
        assertThat(event.getClaimAsString("grant")).isNull();
        assertThat(verifier(ring.publicKeys()).decode(issuer.issueForEvent("acme", null, "evt-2")).getSubject())
            .isEqualTo("gateway");
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

    @Test
    void aRetiredKeyStaysPublishedWhileABatchGrantItSignedLivesAndNoLonger() {
        String signer = ring.signingKey().getKeyID();
        String grant = issuer.issueBatchGrant(KEY, "r-batch", "alice");
        // two rotations (hourly, as an operator in a hurry might): the grant's key leaves previous/current/next
        clock.advance(Duration.ofHours(1));
        ring.rotate();
        clock.advance(Duration.ofHours(1));
        ring.rotate();
        clock.advance(Duration.ofHours(1));
        ring.rotate();
        assertThat(ring.publicKeys().getKeyByKeyId(signer)).isNotNull();
        assertThat(verifier(ring.publicKeys()).decode(grant).getClaimAsString(InternalToken.CLAIM_GRANT))
            .isEqualTo(InternalToken.GRANT_BATCH);

        clock.advance(Duration.ofHours(21)); // 24 h since the grant: its window is closing, it still verifies
        assertThat(verifier(ring.publicKeys()).decode(grant).getSubject()).isEqualTo(KEY.id());

        clock.advance(Duration.ofMinutes(20)); // past the grant's life: refused, though its key is still published
        assertThatThrownBy(() -> verifier(ring.publicKeys()).decode(grant)).isInstanceOf(BadJwtException.class);

        // the key stopped signing at the first rotation (1 h in): published until then + grant life + token life
        clock.advance(Duration.ofHours(1));
        assertThat(ring.publicKeys().getKeyByKeyId(signer)).isNull();
        assertThat(ring.publicKeys().getKeys()).allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
    }

    @Test
    void aBatchGrantCarriesScopeChatOnlyAndLivesTheWindowPlusTheMargin() {
        ApiKey wide = new ApiKey("fedcba9876543210", KEY.tenant(), Set.of("chat", "documents", "admin"), List.of("sim-small"));
        var token = verifier(ring.publicKeys()).decode(issuer.issueBatchGrant(wide, "r7", null));
        Instant end = clock.instant().plus(GRANT_LIFE);
        assertThat(token.getClaimAsString(InternalToken.CLAIM_SCOPE)).isEqualTo("chat");
        assertThat(token.getClaimAsString(InternalToken.CLAIM_GRANT)).isEqualTo(InternalToken.GRANT_BATCH);
        assertThat(token.getClaimAsString(InternalToken.CLAIM_REQUEST_ID)).isEqualTo("r7");
        assertThat(token.getExpiresAt()).isEqualTo(end);
        assertThat(((Number) token.getClaim(InternalToken.CLAIM_DEADLINE)).longValue()).isEqualTo(end.toEpochMilli());
        assertThat(token.hasClaim(InternalToken.CLAIM_USER)).isFalse();

        ApiKey noChat = new ApiKey("fedcba9876543211", KEY.tenant(), Set.of("documents"), List.of("sim-small"));
        assertThatThrownBy(() -> issuer.issueBatchGrant(noChat, "r8", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void claimsWithCharactersJsonMustEscapeComeBackExactlyAsSigned() {
        String odd = "a\"b\\c\nd\u0001e\u2028f é 😀 </script>";
        ApiKey key = new ApiKey("0123456789abcdef", new Tenant(odd, new Tenant.RateLimit(1, 1, 1)), Set.of("chat"),
                List.of(odd, "sim-small"));
        var token = verifier(ring.publicKeys()).decode(issuer.issue(key, odd, odd));
        assertThat(token.getClaimAsString(InternalToken.CLAIM_TENANT)).isEqualTo(odd);
        assertThat(token.getClaimAsStringList(InternalToken.CLAIM_MODELS)).containsExactly(odd, "sim-small");
        assertThat(token.getClaimAsString(InternalToken.CLAIM_REQUEST_ID)).isEqualTo(odd);
        assertThat(token.getClaimAsString(InternalToken.CLAIM_USER)).isEqualTo(odd);
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
