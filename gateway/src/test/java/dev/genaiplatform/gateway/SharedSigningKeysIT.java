package dev.genaiplatform.gateway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import dev.genaiplatform.contracts.security.InternalToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway instances on one PostgreSQL share one signing-key ring: a token one signs verifies against the
 * other's JWK set, a rotation on one is taken up by the other, a new instance joins the ring instead of making its
 * own, the private keys are stored sealed, and an instance given another secret refuses to start.
 */
class SharedSigningKeysIT extends GatewayTestSupport {

    private static SecondGateway other;

    @Autowired
    EmbeddedKafkaBroker broker;

    @AfterAll
    static void stopOther() {
        if (other != null) {
            other.close();
        }
    }

    @Test
    void aTokenSignedByEitherInstanceVerifiesAgainstTheOtherInstancesJwkSet() throws Exception {
        SecondGateway b = other();
        assertThat(kids(b.client())).isEqualTo(kids(client)); // B joined A's ring rather than making its own

        chat(DEMO_KEY, VALID_CHAT).exchange().expectStatus().isOk();
        String signedByA = backend.takeReceived().header(HttpHeaders.AUTHORIZATION).getFirst();
        b.client().post().uri("/v1/chat/completions").header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY)
            .header(HttpHeaders.CONTENT_TYPE, "application/json").bodyValue(VALID_CHAT).exchange().expectStatus().isOk();
        String signedByB = backend.takeReceived().header(HttpHeaders.AUTHORIZATION).getFirst();

        assertThat(verifyWithJwksOf(b.port(), signedByA).getClaimAsString(InternalToken.CLAIM_TENANT)).isEqualTo("demo");
        assertThat(verifyWithJwksOf(port, signedByB).getClaimAsString(InternalToken.CLAIM_TENANT)).isEqualTo("demo");
    }

    @Test
    void aRotationOnOneInstanceIsTakenUpByTheOther() throws Exception {
        SecondGateway b = other();
        // A rotation within one token lifetime of the last is refused (409); wait until A accepts one.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> client.post()
            .uri("/api/admin/signing-keys/rotate").header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY)
            .exchange().returnResult(String.class).getStatus().value() == 200);
        chat(DEMO_KEY, VALID_CHAT).exchange().expectStatus().isOk();
        String newKid = kid(backend.takeReceived().header(HttpHeaders.AUTHORIZATION).getFirst());
        Set<String> published = kids(client);

        // within B's refresh interval, B publishes the same three keys and signs with A's new current key
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> kids(b.client()).equals(published));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            backend.reset();
            b.client().post().uri("/v1/chat/completions").header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY)
                .header(HttpHeaders.CONTENT_TYPE, "application/json").bodyValue(VALID_CHAT).exchange().expectStatus().isOk();
            return kid(backend.takeReceived().header(HttpHeaders.AUTHORIZATION).getFirst()).equals(newKid);
        });
    }

    @Test
    void privateKeysAreStoredOnlySealed() throws Exception {
        try (Connection connection = DriverManager.getConnection(TestDatabase.jdbcUrl(), "postgres", "postgres");
                ResultSet rows = connection.createStatement().executeQuery(
                        "select kid, public_jwk, sealed_private, retired_at from signing_key")) {
            int count = 0;
            while (rows.next()) {
                if (rows.getBytes("sealed_private").length == 0) {
                    // a retired key kept for the batch grants it may have signed: public half only
                    assertThat(rows.getObject("retired_at")).isNotNull();
                    assertThat(rows.getString("public_jwk")).doesNotContain("\"d\"");
                    continue;
                }
                count++;
                String sealed = new String(rows.getBytes("sealed_private"), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(sealed).doesNotContain("\"d\"").doesNotContain(rows.getString("kid"));
                assertThat(rows.getString("public_jwk")).doesNotContain("\"d\"");
            }
            assertThat(count).isBetween(2, 3); // previous, current, next: the ring

        }
    }

    @Test
    void anInstanceGivenAnotherSecretRefusesToStart() {
        assertThatThrownBy(() -> new SecondGateway(broker.getBrokersAsString(),
                "--platform.gateway.token.key-encryption-secret=another-secret-of-enough-length-0123456789").close())
            .hasStackTraceContaining("does not open with platform.gateway.token.key-encryption-secret");
    }

    private SecondGateway other() {
        if (other == null) {
            other = new SecondGateway(broker.getBrokersAsString());
        }
        return other;
    }

    private static Jwt verifyWithJwksOf(int gatewayPort, String bearer) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri("http://127.0.0.1:" + gatewayPort + InternalToken.JWKS_PATH)
            .jwsAlgorithm(SignatureAlgorithm.from(JWSAlgorithm.ES256.getName())).restOperations(jwksClient()).build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(InternalToken.ISSUER));
        return decoder.decode(bearer.substring("Bearer ".length()));
    }

    private static Set<String> kids(WebTestClient gateway) {
        Map<String, List<Map<String, Object>>> jwks = gateway.get().uri(InternalToken.JWKS_PATH).exchange()
            .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, List<Map<String, Object>>>>() {
            }).returnResult().getResponseBody();
        return jwks.get("keys").stream().map(key -> (String) key.get("kid")).collect(Collectors.toSet());
    }

    private static String kid(String bearer) throws Exception {
        return SignedJWT.parse(bearer.substring("Bearer ".length())).getHeader().getKeyID();
    }
}
