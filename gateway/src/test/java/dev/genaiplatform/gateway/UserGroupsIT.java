package dev.genaiplatform.gateway;

import java.util.List;
import java.util.Map;

import dev.genaiplatform.contracts.http.PlatformHttpHeaders;
import dev.genaiplatform.contracts.security.InternalToken;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-tenant user directory: groups set through the admin API reach the backend in the internal token's
 * {@code groups} claim (and the batch grant's) for requests that name the user, only in that user's tenant; a user
 * without a row gets no claim; bad bodies and non-admin keys are refused with a problem and nothing is written.
 */
class UserGroupsIT extends GatewayTestSupport {

    @Test
    void putGetAndDeleteRoundTripAndADeletedUserIsGone() {
        String path = "/api/admin/tenants/acme/users/round-trip@example.com";
        put(path, "{\"groups\":[\"finance\",\"hr\",\"finance\"]}").expectStatus().isOk().expectBody()
            .jsonPath("$.tenant_id").isEqualTo("acme")
            .jsonPath("$.user_id").isEqualTo("round-trip@example.com")
            .jsonPath("$.groups").isEqualTo(List.of("finance", "hr"));
        admin().get().uri(path).exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.groups").isEqualTo(List.of("finance", "hr"));
        put(path, "{\"groups\":[\"legal\"]}").expectStatus().isOk();
        admin().get().uri(path).exchange().expectStatus().isOk().expectBody().jsonPath("$.groups").isEqualTo(List.of("legal"));

        admin().delete().uri(path).exchange().expectStatus().isNoContent();
        admin().get().uri(path).exchange().expectStatus().isNotFound()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        admin().delete().uri(path).exchange().expectStatus().isNotFound();
    }

    @Test
    void refusesBadGroupsUnknownTenantsBadIdsMalformedJsonAndNonAdminKeysAndWritesNothing() {
        String path = "/api/admin/tenants/acme/users/strict-user";
        List<String> tooMany = java.util.stream.IntStream.rangeClosed(1, 65).mapToObj(i -> "\"g" + i + "\"").toList();
        Map<String, String> bad = Map.of(
                "{\"groups\":[\"has space\"]}", "groups[0]",
                "{\"groups\":[\"ok\",\"a,b\"]}", "groups[1]",
                "{\"groups\":[\"" + "g".repeat(65) + "\"]}", "groups[0]",
                "{\"groups\":[1]}", "groups[0]",
                "{\"groups\":[" + String.join(",", tooMany) + "]}", "groups",
                "{\"groups\":\"finance\"}", "groups",
                "{}", "groups",
                "{\"groups\":[],\"grops\":[]}", "grops");
        bad.forEach((body, param) -> put(path, body).expectStatus().isBadRequest()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.error.param").isEqualTo(param));
        for (String malformed : List.of("{\"groups\":", "[]", "", "{\"groups\":[],\"groups\":[\"x\"]}")) {
            put(path, malformed).expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        admin().get().uri(path).exchange().expectStatus().isNotFound();

        put("/api/admin/tenants/no-such-tenant/users/strict-user", "{\"groups\":[\"finance\"]}").expectStatus().isNotFound()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        put("/api/admin/tenants/acme/users/bad<user>", "{\"groups\":[\"finance\"]}").expectStatus().isBadRequest();
        client.put().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + ACME_KEY)
            .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"groups\":[\"finance\"]}").exchange()
            .expectStatus().isForbidden().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + ACME_KEY).exchange().expectStatus().isForbidden();
        admin().get().uri(path).exchange().expectStatus().isNotFound();
    }

    @Test
    void aNamedUsersGroupsReachTheBackendInTheTokenAndTheBatchGrantAndAChangeTakesEffectAtOnce() throws Exception {
        put("/api/admin/tenants/acme/users/grace", "{\"groups\":[\"finance\",\"hr\"]}").expectStatus().isOk();

        chat(ACME_KEY, VALID_CHAT).header(PlatformHttpHeaders.USER_ID, "grace").exchange().expectStatus().isOk();
        Jwt token = forwardedToken();
        assertThat(token.getClaimAsString(InternalToken.CLAIM_USER)).isEqualTo("grace");
        assertThat(token.getClaimAsStringList(InternalToken.CLAIM_GROUPS)).containsExactly("finance", "hr");

        client.post().uri("/v1/batches").header(HttpHeaders.AUTHORIZATION, "Bearer " + ACME_KEY)
            .header(PlatformHttpHeaders.USER_ID, "grace").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"input_file_id\":\"file-1\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}")
            .exchange().expectStatus().isOk();
        FakeBackend.Received batch = backend.takeReceived();
        Jwt grant = verifyAsAService("Bearer " + batch.header(PlatformHttpHeaders.BATCH_GRANT).getFirst());
        assertThat(grant.getClaimAsStringList(InternalToken.CLAIM_GROUPS)).containsExactly("finance", "hr");

        // this instance evicts on write: the next request carries the new groups, then none once the user is deleted
        put("/api/admin/tenants/acme/users/grace", "{\"groups\":[\"legal\"]}").expectStatus().isOk();
        chat(ACME_KEY, VALID_CHAT).header(PlatformHttpHeaders.USER_ID, "grace").exchange().expectStatus().isOk();
        assertThat(forwardedToken().getClaimAsStringList(InternalToken.CLAIM_GROUPS)).containsExactly("legal");
        admin().delete().uri("/api/admin/tenants/acme/users/grace").exchange().expectStatus().isNoContent();
        chat(ACME_KEY, VALID_CHAT).header(PlatformHttpHeaders.USER_ID, "grace").exchange().expectStatus().isOk();
        assertThat(forwardedToken().hasClaim(InternalToken.CLAIM_GROUPS)).isFalse();
    }

    @Test
    void aUserWithoutARowOrNoUserAtAllGetsNoGroupsClaim() throws Exception {
        chat(ACME_KEY, VALID_CHAT).header(PlatformHttpHeaders.USER_ID, "nobody-in-the-directory").exchange().expectStatus().isOk();
        Jwt token = forwardedToken();
        assertThat(token.getClaimAsString(InternalToken.CLAIM_USER)).isEqualTo("nobody-in-the-directory");
        assertThat(token.hasClaim(InternalToken.CLAIM_GROUPS)).isFalse();

        put("/api/admin/tenants/acme/users/heidi", "{\"groups\":[\"finance\"]}").expectStatus().isOk();
        chat(ACME_KEY, VALID_CHAT).exchange().expectStatus().isOk();
        assertThat(forwardedToken().hasClaim(InternalToken.CLAIM_GROUPS)).isFalse();
    }

    @Test
    void theSameUserIdInAnotherTenantDoesNotGetTheseGroups() throws Exception {
        put("/api/admin/tenants/acme/users/ivan", "{\"groups\":[\"finance\"]}").expectStatus().isOk();
        put("/api/admin/tenants/demo/users/ivan", "{\"groups\":[\"support\"]}").expectStatus().isOk();

        chat(DEMO_KEY, VALID_CHAT).header(PlatformHttpHeaders.USER_ID, "ivan").exchange().expectStatus().isOk();
        assertThat(forwardedToken().getClaimAsStringList(InternalToken.CLAIM_GROUPS)).containsExactly("support");
        chat(CHAT_ONLY_KEY, VALID_CHAT).header(PlatformHttpHeaders.USER_ID, "ivan").exchange().expectStatus().isOk();
        assertThat(forwardedToken().hasClaim(InternalToken.CLAIM_GROUPS)).isFalse();
        chat(ACME_KEY, VALID_CHAT).header(PlatformHttpHeaders.USER_ID, "ivan").exchange().expectStatus().isOk();
        assertThat(forwardedToken().getClaimAsStringList(InternalToken.CLAIM_GROUPS)).containsExactly("finance");
    }

    private Jwt forwardedToken() throws Exception {
        return verifyAsAService(backend.takeReceived().header(HttpHeaders.AUTHORIZATION).getFirst());
    }

    private WebTestClient.ResponseSpec put(String path, String body) {
        return admin().put().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient admin() {
        return client.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY).build();
    }
}
