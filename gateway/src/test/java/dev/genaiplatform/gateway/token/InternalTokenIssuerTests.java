package dev.genaiplatform.gateway.token;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.gateway.tenant.ApiKey;
import dev.genaiplatform.gateway.tenant.Tenant;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code groups} claim: carried as given for a named user, absent otherwise, the same in a batch grant. */
class InternalTokenIssuerTests {

    private static final ApiKey KEY = new ApiKey("0123456789abcdef", new Tenant("acme", new Tenant.RateLimit(1, 1, 1)),
            Set.of("chat"), List.of("sim-small"));

    private final SigningKeyRing ring = new SigningKeyRing(Duration.ofHours(24), Duration.ofMinutes(3),
            Duration.ofHours(25), Clock.systemUTC());

    private final InternalTokenIssuer issuer = new InternalTokenIssuer(ring, Duration.ofMinutes(2), Duration.ofSeconds(60),
            Duration.ofHours(24), Clock.systemUTC());

    @Test
    void aNamedUsersGroupsBecomeTheGroupsClaimInTheTokenAndTheBatchGrant() {
        Jwt token = decode(issuer.issue(KEY, "r1", "alice", List.of("finance", "hr")));
        assertThat(token.getClaimAsStringList(InternalToken.CLAIM_GROUPS)).containsExactly("finance", "hr");
        assertThat(token.getClaimAsString(InternalToken.CLAIM_USER)).isEqualTo("alice");

        Jwt grant = decode(issuer.issueBatchGrant(KEY, "r2", "alice", List.of("finance")));
        assertThat(grant.getClaimAsStringList(InternalToken.CLAIM_GROUPS)).containsExactly("finance");
        assertThat(grant.getClaimAsString(InternalToken.CLAIM_GRANT)).isEqualTo(InternalToken.GRANT_BATCH);
    }

    @Test
    void noGroupsOrNoUserMeansNoGroupsClaim() {
        assertThat(decode(issuer.issue(KEY, "r1", "alice", List.of())).hasClaim(InternalToken.CLAIM_GROUPS)).isFalse();
        assertThat(decode(issuer.issue(KEY, "r1", "alice")).hasClaim(InternalToken.CLAIM_GROUPS)).isFalse();
        // groups belong to a user: without one they are never sent
        assertThat(decode(issuer.issue(KEY, "r1", null, List.of("finance"))).hasClaim(InternalToken.CLAIM_GROUPS)).isFalse();
        assertThat(decode(issuer.issueBatchGrant(KEY, "r2", null, List.of("finance"))).hasClaim(InternalToken.CLAIM_GROUPS))
            .isFalse();
    }

    @Test
    void aTokenIsSignedByTheRingsCurrentKeyAndStillVerifiesAfterARotation() throws Exception {
        SigningKeyRing rotating = new SigningKeyRing(Duration.ZERO, Duration.ZERO, Duration.ofHours(25), Clock.systemUTC());
        InternalTokenIssuer signer = new InternalTokenIssuer(rotating, Duration.ofMinutes(2), Duration.ofSeconds(60),
                Duration.ofHours(24), Clock.systemUTC());
        String first = signer.issue(KEY, "r1", "alice");
        String newKey = rotating.rotate();
        String second = signer.issue(KEY, "r2", "alice");

        assertThat(com.nimbusds.jose.JWSObject.parse(first).getHeader().getKeyID()).isNotEqualTo(newKey);
        assertThat(com.nimbusds.jose.JWSObject.parse(second).getHeader().getKeyID()).isEqualTo(newKey);
        for (String token : List.of(first, second)) { // both keys are in the set the services fetch
            Jwt jwt = NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<SecurityContext>(rotating.publicKeys()))
                .jwsAlgorithm(SignatureAlgorithm.ES256).build().decode(token);
            assertThat(jwt.getClaimAsString(InternalToken.CLAIM_TENANT)).isEqualTo("acme");
            assertThat(jwt.getHeaders()).containsEntry("typ", "JWT").containsEntry("alg", "ES256");
        }
        assertThat(decode(issuer.issue(KEY, "r3", "alice")).getClaimAsString(InternalToken.CLAIM_REQUEST_ID)).isEqualTo("r3");
    }

    @Test
    void aClaimWithCharactersJsonMustEscapeSurvivesTheSignature() {
        ApiKey odd = new ApiKey("key-\"quoted\"\\", new Tenant("t\u00e9nant\n", new Tenant.RateLimit(1, 1, 1)), Set.of("chat"),
                List.of("model/\u2028x"));
        Jwt token = decode(issuer.issue(odd, "r1", null));
        assertThat(token.getSubject()).isEqualTo("key-\"quoted\"\\");
        assertThat(token.getClaimAsString(InternalToken.CLAIM_TENANT)).isEqualTo("t\u00e9nant\n");
        assertThat(token.getClaimAsStringList(InternalToken.CLAIM_MODELS)).containsExactly("model/\u2028x");
    }

    private Jwt decode(String token) {
        return NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<SecurityContext>(ring.publicKeys()))
            .jwsAlgorithm(SignatureAlgorithm.ES256).build().decode(token);
    }
}
