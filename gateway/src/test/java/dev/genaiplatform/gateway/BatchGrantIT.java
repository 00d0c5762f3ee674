package dev.genaiplatform.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.genaiplatform.contracts.http.PlatformHttpHeaders;
import dev.genaiplatform.contracts.security.InternalToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The batch grant (contracts {@code InternalToken.CLAIM_GRANT}): minted on {@code POST /v1/batches} only, verifiable
 * the way a service verifies any internal token, narrowed to scope chat, never forgeable by a client, and verifiable
 * after signing-key rotations for as long as it lives.
 */
class BatchGrantIT extends GatewayTestSupport {

    private static final String FORGED = "eyJhbGciOiJub25lIn0.eyJ0ZW5hbnQiOiJvdGhlciJ9.";

    private static final String BATCH = """
            {"input_file_id":"file-1","endpoint":"/v1/chat/completions","completion_window":"24h"}""";

    @Test
    void createsABatchWithAGrantThatVerifiesAndCarriesExactlyTheRequestsIdentityWithScopeChat() throws Exception {
        Instant before = Instant.now();
        // acme's key holds chat, agent and evaluation: the grant keeps chat only
        client.post().uri("/v1/batches").header(HttpHeaders.AUTHORIZATION, "Bearer " + ACME_KEY)
            .header("X-Request-Id", "req-batch-1").header("X-User-Id", "alice@example.com")
            .header(PlatformHttpHeaders.BATCH_GRANT, FORGED)
            .contentType(MediaType.APPLICATION_JSON).bodyValue(BATCH).exchange().expectStatus().isOk();
        FakeBackend.Received received = backend.takeReceived();
        assertThat(received.header(PlatformHttpHeaders.BATCH_GRANT)).hasSize(1).doesNotContain(FORGED);
        Jwt request = verifyAsAService(received.header(HttpHeaders.AUTHORIZATION).getFirst());
        Jwt grant = verifyAsAService("Bearer " + received.header(PlatformHttpHeaders.BATCH_GRANT).getFirst());

        assertThat(grant.getClaims().keySet()).containsExactlyInAnyOrder("iss", "aud", "sub", "iat", "exp",
                InternalToken.CLAIM_TENANT, InternalToken.CLAIM_SCOPE, InternalToken.CLAIM_MODELS,
                InternalToken.CLAIM_REQUEST_ID, InternalToken.CLAIM_USER, InternalToken.CLAIM_DEADLINE,
                InternalToken.CLAIM_GRANT);
        assertThat(grant.getClaimAsString(InternalToken.CLAIM_GRANT)).isEqualTo(InternalToken.GRANT_BATCH);
        assertThat(grant.getClaimAsString(InternalToken.CLAIM_SCOPE)).isEqualTo(InternalToken.SCOPE_CHAT);
        assertThat(grant.getClaimAsString(InternalToken.CLAIM_TENANT)).isEqualTo("acme");
        assertThat(grant.getSubject()).isEqualTo(request.getSubject());
        assertThat(grant.getClaimAsStringList(InternalToken.CLAIM_MODELS)).containsExactly("sim-small", "sim-large");
        assertThat(grant.getClaimAsString(InternalToken.CLAIM_REQUEST_ID)).isEqualTo("req-batch-1");
        assertThat(grant.getClaimAsString(InternalToken.CLAIM_USER)).isEqualTo("alice@example.com");
        // the batch window (24 h) plus the margin (15 min by default): exp and deadline are the same instant
        Duration life = Duration.ofHours(24).plusMinutes(15);
        assertThat(grant.getExpiresAt()).isBetween(before.plus(life).minusSeconds(1), Instant.now().plus(life).plusSeconds(1));
        // exp is whole seconds (JWT NumericDate), deadline milliseconds
        assertThat(((Number) grant.getClaim(InternalToken.CLAIM_DEADLINE)).longValue() / 1000)
            .isEqualTo(grant.getExpiresAt().getEpochSecond());
        // the request's own token is unchanged: its scopes, its short life, no grant claim
        assertThat(request.hasClaim(InternalToken.CLAIM_GRANT)).isFalse();
        assertThat(request.getClaimAsString(InternalToken.CLAIM_SCOPE)).isEqualTo("agent chat evaluation");
        assertThat(request.getExpiresAt()).isBefore(Instant.now().plus(Duration.ofMinutes(1)));
    }

    /** Every forwarded route but batch creation, with a key that holds every scope it needs. */
    static Stream<Arguments> otherRoutes() {
        return Stream.of(
                Arguments.of(HttpMethod.POST, "/v1/chat/completions", DEMO_KEY),
                Arguments.of(HttpMethod.GET, "/v1/batches", DEMO_KEY),
                Arguments.of(HttpMethod.GET, "/v1/batches/batch_1", DEMO_KEY),
                Arguments.of(HttpMethod.POST, "/v1/batches/batch_1/cancel", DEMO_KEY),
                Arguments.of(HttpMethod.GET, "/v1/files/file-batch-1-output/content", DEMO_KEY),
                Arguments.of(HttpMethod.POST, "/v1/files", DEMO_KEY),
                Arguments.of(HttpMethod.POST, "/v1/vector_stores/vs_1/search", DEMO_KEY),
                Arguments.of(HttpMethod.DELETE, "/v1/conversations/conv-1", DEMO_KEY),
                Arguments.of(HttpMethod.POST, "/api/agent/runs", DEMO_KEY),
                Arguments.of(HttpMethod.POST, "/api/evaluation/feedback/req-1", DEMO_KEY),
                Arguments.of(HttpMethod.GET, "/api/evaluation/runs", DEMO_KEY),
                Arguments.of(HttpMethod.GET, "/api/retrieval/sources/chunk-1", DEMO_KEY),
                Arguments.of(HttpMethod.GET, "/api/tools/catalog", DEMO_KEY));
    }

    @ParameterizedTest
    @MethodSource("otherRoutes")
    void anyOtherRouteGetsNoGrantAndNeverTheClientsOne(HttpMethod method, String path, String key) throws Exception {
        var request = client.method(method).uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
            .header(PlatformHttpHeaders.BATCH_GRANT, FORGED);
        if (path.equals("/v1/chat/completions")) {
            request.contentType(MediaType.APPLICATION_JSON).bodyValue(VALID_CHAT);
        }
        request.exchange().expectStatus().isOk();
        FakeBackend.Received received = backend.takeReceived();
        assertThat(received.path()).isEqualTo(path);
        assertThat(received.header(PlatformHttpHeaders.BATCH_GRANT)).isEmpty();
    }

    @Test
    void theKeyThatSignedAGrantStaysInTheJwkSetAcrossRotationsWhileTheGrantLives() throws Exception {
        client.post().uri("/v1/batches").header(HttpHeaders.AUTHORIZATION, "Bearer " + CHAT_ONLY_KEY)
            .contentType(MediaType.APPLICATION_JSON).bodyValue(BATCH).exchange().expectStatus().isOk();
        String grant = backend.takeReceived().header(PlatformHttpHeaders.BATCH_GRANT).getFirst();
        String signer = SignedJWT.parse(grant).getHeader().getKeyID();

        // three rotations take the grant's key out of previous/current/next; each waits out one request token's
        // life (4 s here), below which the gateway refuses a rotation
        for (int i = 0; i < 3; i++) {
            String seen = currentSigner();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> client.post()
                .uri("/api/admin/signing-keys/rotate").header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY)
                .exchange().returnResult(String.class).getStatus().value() == 200);
            assertThat(currentSigner()).isNotEqualTo(seen);
        }
        assertThat(jwks().getKeyByKeyId(signer)).isNotNull();
        assertThat(jwks().getKeys()).hasSizeGreaterThan(3);
        assertThat(verifyAsAService("Bearer " + grant).getClaimAsString(InternalToken.CLAIM_GRANT))
            .isEqualTo(InternalToken.GRANT_BATCH);
    }

    private String currentSigner() throws Exception {
        chat(DEMO_KEY, VALID_CHAT).exchange().expectStatus().isOk();
        String bearer = backend.takeReceived().header(HttpHeaders.AUTHORIZATION).getFirst();
        return SignedJWT.parse(bearer.substring("Bearer ".length())).getHeader().getKeyID();
    }

    private JWKSet jwks() throws Exception {
        Map<String, Object> body = client.get().uri(InternalToken.JWKS_PATH).exchange().expectStatus().isOk()
            .expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
            }).returnResult().getResponseBody();
        return JWKSet.parse(body);
    }
}
