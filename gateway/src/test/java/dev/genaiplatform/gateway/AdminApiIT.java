package dev.genaiplatform.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tenants and keys through the admin API, against PostgreSQL, and a revocation reaching a second gateway
 * instance (same database, Redis and broker) through the Kafka event, not through its cache expiring: the
 * second instance keeps keys for ten minutes.
 */
class AdminApiIT extends GatewayTestSupport {

    private static SecondGateway secondInstance;

    @AfterAll
    static void stopSecondInstance() {
        if (secondInstance != null) {
            secondInstance.close();
        }
    }

    @Test
    void createsATenantIssuesAKeyShownOnceAndListsItWithoutTheSecret() {
        admin().post().uri("/api/admin/tenants").contentType(MediaType.APPLICATION_JSON).bodyValue("""
                {"id":"globex","models":["sim-small","sim-large"],"rate_limit":{"replenish_rate":5,"burst_capacity":10}}""")
            .exchange().expectStatus().isCreated().expectBody().jsonPath("$.id").isEqualTo("globex");
        admin().post().uri("/api/admin/tenants").contentType(MediaType.APPLICATION_JSON).bodyValue("""
                {"id":"globex","models":[],"rate_limit":{"replenish_rate":5,"burst_capacity":10}}""")
            .exchange().expectStatus().isEqualTo(409)
            .expectBody().jsonPath("$.error.code").isEqualTo("conflict");

        Map<String, Object> issued = issue("globex", "{\"name\":\"web app\",\"scopes\":[\"chat\"],\"models\":[\"sim-large\"]}");
        String key = (String) issued.get("key");
        assertThat(key).startsWith("sk-gp-").hasSizeGreaterThan(40);
        models(key).expectStatus().isOk().expectBody().jsonPath("$.data[*].id").isEqualTo(List.of("sim-large"));

        String listing = admin().get().uri("/api/admin/tenants/globex/keys").exchange().expectStatus().isOk()
            .expectBody(String.class).returnResult().getResponseBody();
        assertThat(listing).contains((String) issued.get("id")).contains("web app").doesNotContain(key)
            .doesNotContain(key.substring(6, 20));
    }

    @Test
    void rotatingAKeyIssuesANewOneAndTheOldOneStopsAtOnce() {
        createTenant("initech");
        Map<String, Object> first = issue("initech", "{\"name\":\"batch\",\"scopes\":[\"chat\",\"documents\"]}");
        models((String) first.get("key")).expectStatus().isOk();

        Map<String, Object> second = admin().post().uri("/api/admin/keys/" + first.get("id") + "/rotate").exchange()
            .expectStatus().isCreated().expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
            }).returnResult().getResponseBody();
        assertThat(second.get("scopes")).isEqualTo(List.of("chat", "documents"));
        models((String) first.get("key")).expectStatus().isUnauthorized();
        models((String) second.get("key")).expectStatus().isOk();
    }

    @Test
    void refusesMalformedAdminRequestsWithAProblem() {
        admin().post().uri("/api/admin/tenants").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"id\":\"Bad Id\"}")
            .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.error.param").isEqualTo("id");
        admin().post().uri("/api/admin/tenants").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"id\":\"ok\"}")
            .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.error.param").isEqualTo("rate_limit");
        admin().post().uri("/api/admin/tenants").contentType(MediaType.APPLICATION_JSON).bodyValue("{not json")
            .exchange().expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        admin().post().uri("/api/admin/tenants/demo/keys").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"name\":\"x\",\"scopes\":[\"root\"]}")
            .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.error.param").isEqualTo("scopes[0]");
        admin().post().uri("/api/admin/tenants/demo/keys").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"name\":\"x\",\"scopes\":[\"chat\"],\"models\":[\"gpt-9\"]}")
            .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.error.param").isEqualTo("models");
        admin().post().uri("/api/admin/tenants/nobody/keys").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"name\":\"x\",\"scopes\":[\"chat\"]}").exchange().expectStatus().isNotFound();
        admin().delete().uri("/api/admin/keys/0000000000000000").exchange().expectStatus().isNotFound();
        admin().delete().uri("/api/admin/keys/not-a-key-id").exchange().expectStatus().isBadRequest();
        client.post().uri("/api/admin/tenants").header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY)
            .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange().expectStatus().isForbidden();
    }

    @Test
    void aRevocationReachesAnotherGatewayInstanceThroughTheEventNotTheCache() {
        WebTestClient other = secondInstance();
        createTenant("umbrella");
        Map<String, Object> issued = issue("umbrella", "{\"name\":\"app\",\"scopes\":[\"chat\"]}");
        String key = (String) issued.get("key");
        // both instances now hold the key in their caches
        models(key).expectStatus().isOk();
        other.get().uri("/v1/models").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange().expectStatus().isOk();

        long revokedAt = System.nanoTime();
        admin().delete().uri("/api/admin/keys/" + issued.get("id")).exchange().expectStatus().isNoContent();
        models(key).expectStatus().isUnauthorized();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> other.get().uri("/v1/models")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange().returnResult(String.class).getStatus().value() == 401);
        System.out.printf("revocation reached the second instance after %d ms%n", (System.nanoTime() - revokedAt) / 1_000_000);
    }

    @Test
    void aChangeOfATenantsLimitsReachesAnotherGatewayInstanceThroughTheEvent() {
        WebTestClient other = secondInstance();
        createTenant("hooli");
        String key = (String) issue("hooli", "{\"name\":\"app\",\"scopes\":[\"chat\"]}").get("key");
        String chat = "{\"model\":\"sim-small\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        // the other instance now holds the key, and with it the tenant's limits, in its ten-minute cache
        other.post().uri("/v1/chat/completions").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
            .contentType(MediaType.APPLICATION_JSON).bodyValue(chat).exchange().expectStatus().isOk();

        long changedAt = System.nanoTime();
        admin().put().uri("/api/admin/tenants/hooli/limits").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"budget\":{\"tokens_per_day\":50}}").exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> other.post()
            .uri("/v1/chat/completions").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
            .contentType(MediaType.APPLICATION_JSON).bodyValue(chat).exchange().returnResult(String.class)
            .getStatus().value() == 429);
        System.out.printf("limit change reached the second instance after %d ms%n", (System.nanoTime() - changedAt) / 1_000_000);
    }

    private WebTestClient secondInstance() {
        if (secondInstance == null) {
            secondInstance = new SecondGateway(broker.getBrokersAsString(), "--platform.gateway.key-cache-ttl=10m").awaitListening();
        }
        return secondInstance.client();
    }

    /** This context's own broker; the bootstrap-servers system property belongs to whichever context started last. */
    @Autowired
    org.springframework.kafka.test.EmbeddedKafkaBroker broker;

    private void createTenant(String id) {
        admin().post().uri("/api/admin/tenants").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"id\":\"" + id + "\",\"models\":[\"sim-small\"],\"rate_limit\":{\"replenish_rate\":5,\"burst_capacity\":10}}")
            .exchange().expectStatus().isCreated();
    }

    private Map<String, Object> issue(String tenant, String body) {
        return admin().post().uri("/api/admin/tenants/" + tenant + "/keys").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body).exchange().expectStatus().isCreated()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
            }).returnResult().getResponseBody();
    }

    private WebTestClient admin() {
        return client.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY).build();
    }
}
