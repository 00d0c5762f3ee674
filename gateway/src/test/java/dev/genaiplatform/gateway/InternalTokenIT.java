package dev.genaiplatform.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.genaiplatform.contracts.security.InternalToken;
import org.junit.jupiter.api.Test;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The internal token as a service sees it: verified against the gateway's public JWK set, with every claim
 * ADR 0004 names, and still verifiable across a key rotation.
 */
class InternalTokenIT extends GatewayTestSupport {

    @Test
    void publishesOnlyPublicEcKeysWithoutAnApiKey() {
        Map<String, List<Map<String, Object>>> jwks = client.get().uri(InternalToken.JWKS_PATH).exchange()
            .expectStatus().isOk()
            .expectBody(new ParameterizedTypeReference<Map<String, List<Map<String, Object>>>>() {
            }).returnResult().getResponseBody();
        // previous (if any), current, next, and retired keys while a batch grant they signed may live
        assertThat(jwks.get("keys")).hasSizeGreaterThanOrEqualTo(2).allSatisfy(key -> {
            assertThat(key).containsEntry("kty", "EC").containsEntry("crv", "P-256").containsEntry("alg", "ES256")
                .containsKey("kid").doesNotContainKey("d");
        });
    }

    @Test
    void signsEveryClaimAServiceNeedsAndNothingTheClientClaimed() throws Exception {
        Instant before = Instant.now();
        chat(ACME_KEY, VALID_CHAT).header("X-Request-Id", "req-token-1").header("X-User-Id", "alice@example.com")
            .header("X-Tenant-Id", "demo").header("X-Platform-Experiment-Arm", "b")
            .exchange().expectStatus().isOk();
        FakeBackend.Received received = backend.takeReceived();
        Jwt token = verifyAsAService(received.header(HttpHeaders.AUTHORIZATION).getFirst());

        assertThat(token.getClaimAsString("iss")).isEqualTo(InternalToken.ISSUER);
        assertThat(token.getAudience()).containsExactly(InternalToken.AUDIENCE);
        assertThat(token.getClaimAsString(InternalToken.CLAIM_TENANT)).isEqualTo("acme");
        assertThat(token.getSubject()).hasSize(16).isNotEqualTo(ACME_KEY);
        assertThat(token.getClaimAsString(InternalToken.CLAIM_SCOPE).split(" ")).containsExactly("agent", "chat", "evaluation");
        assertThat(token.getClaimAsStringList(InternalToken.CLAIM_MODELS)).containsExactly("sim-small", "sim-large");
        assertThat(token.getClaimAsString(InternalToken.CLAIM_REQUEST_ID)).isEqualTo("req-token-1");
        assertThat(token.getClaimAsString(InternalToken.CLAIM_USER)).isEqualTo("alice@example.com");
        // deadline = now + the response timeout (3 s in these tests); exp a skew later
        long deadline = ((Number) token.getClaim(InternalToken.CLAIM_DEADLINE)).longValue();
        assertThat(deadline).isBetween(before.plusSeconds(3).toEpochMilli(), Instant.now().plusSeconds(3).toEpochMilli());
        assertThat(token.getExpiresAt()).isAfter(Instant.ofEpochMilli(deadline));
        assertThat(token.getExpiresAt()).isBefore(Instant.now().plus(Duration.ofMinutes(5)));

        assertThat(received.header("X-Tenant-Id")).isEmpty();
        assertThat(received.header("X-Platform-Experiment-Arm")).containsExactly("b"); // acme has scope evaluation
    }

    @Test
    void dropsTheExperimentArmOverrideOfAKeyWithoutScopeEvaluation() throws Exception {
        chat(CHAT_ONLY_KEY, VALID_CHAT).header("X-Platform-Experiment-Arm", "b").header("X-User-Id", "bad user <script>")
            .exchange().expectStatus().isOk();
        FakeBackend.Received received = backend.takeReceived();
        assertThat(received.header("X-Platform-Experiment-Arm")).isEmpty();
        Jwt token = verifyAsAService(received.header(HttpHeaders.AUTHORIZATION).getFirst());
        assertThat(token.hasClaim(InternalToken.CLAIM_USER)).isFalse();
    }

    @Test
    void tokensSignedBeforeAndAfterARotationBothVerify() throws Exception {
        chat(DEMO_KEY, VALID_CHAT).exchange().expectStatus().isOk();
        String before = backend.takeReceived().header(HttpHeaders.AUTHORIZATION).getFirst();

        // A rotation within one token lifetime of the last is refused (409); wait until one is accepted.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> client.post()
            .uri("/api/admin/signing-keys/rotate").header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY)
            .exchange().returnResult(String.class).getStatus().value() == 200);

        chat(DEMO_KEY, VALID_CHAT).exchange().expectStatus().isOk();
        String after = backend.takeReceived().header(HttpHeaders.AUTHORIZATION).getFirst();
        assertThat(keyId(after)).isNotEqualTo(keyId(before));
        assertThat(verifyAsAService(before).getClaimAsString("tenant")).isEqualTo("demo");
        assertThat(verifyAsAService(after).getClaimAsString("tenant")).isEqualTo("demo");
    }

    private static String keyId(String bearer) throws Exception {
        return com.nimbusds.jwt.SignedJWT.parse(bearer.substring("Bearer ".length())).getHeader().getKeyID();
    }
}
