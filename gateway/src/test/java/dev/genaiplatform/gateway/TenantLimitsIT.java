package dev.genaiplatform.gateway;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant's own request rate and budgets, set through the admin API and enforced end to end: the limiter and the
 * budget reservation use them, a change takes effect on the next request, and bad values are refused whole.
 */
@SuppressWarnings("unchecked")
class TenantLimitsIT extends GatewayTestSupport {

    private static final String CHAT_100 = "{\"model\":\"sim-small\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

    @Test
    void anAdminCreatedTenantIsHeldToItsOwnRequestRateAndBudgets() {
        String tenant = tenantId("own");
        admin().post().uri("/api/admin/tenants").contentType(MediaType.APPLICATION_JSON).bodyValue("""
                {"id":"%s","models":["sim-small"],"rate_limit":{"requests_per_minute":120,"burst":4},
                 "budget":{"tokens_per_minute":250,"tokens_per_day":250,"cost_per_month":5.25}}""".formatted(tenant))
            .exchange().expectStatus().isCreated();
        admin().get().uri("/api/admin/tenants/" + tenant).exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.rate_limit.requests_per_minute").isEqualTo(120)
            .jsonPath("$.rate_limit.burst").isEqualTo(4)
            .jsonPath("$.rate_limit.replenish_rate").isEqualTo(2)
            .jsonPath("$.budget.tokens_per_minute").isEqualTo(250)
            .jsonPath("$.budget.tokens_per_day").isEqualTo(250)
            .jsonPath("$.budget.cost_per_month").isEqualTo(5.25)
            .jsonPath("$.budget.inherited").isEmpty();
        String key = issue(tenant);

        chat(key, CHAT_100).exchange().expectStatus().isOk()
            .expectHeader().valueEquals("x-ratelimit-limit-tokens", "250")
            .expectHeader().valueEquals("x-ratelimit-limit-requests", "4");
        chat(key, CHAT_100).exchange().expectStatus().isOk();
        // about 108 tokens each: the third would pass the tenant's 250 (the defaults are 200,000 and 5,000,000)
        chat(key, CHAT_100).exchange().expectStatus().isEqualTo(429)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.error.code").isEqualTo("token_budget_exceeded");
    }

    @Test
    void aChangeOfATenantsLimitsTakesEffectOnItsNextRequestAndNullGoesBackToTheDefaults() {
        String tenant = tenantId("change");
        createTenant(tenant);
        admin().get().uri("/api/admin/tenants/" + tenant).exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.budget.tokens_per_day").isEqualTo(5000000)
            .jsonPath("$.budget.inherited").value(inherited -> assertThat((List<Object>) inherited)
                .containsExactly("tokens_per_minute", "tokens_per_day", "cost_per_month"));
        String key = issue(tenant);
        chat(key, CHAT_100).exchange().expectStatus().isOk().expectHeader().valueEquals("x-ratelimit-limit-requests", "10");

        limits(tenant, "{\"budget\":{\"tokens_per_day\":50},\"rate_limit\":{\"requests_per_minute\":600,\"burst\":20}}")
            .expectStatus().isOk().expectBody()
            .jsonPath("$.budget.tokens_per_day").isEqualTo(50)
            .jsonPath("$.budget.inherited").value(inherited -> assertThat((List<Object>) inherited)
                .containsExactly("tokens_per_minute", "cost_per_month"));
        chat(key, CHAT_100).exchange().expectStatus().isEqualTo(429)
            .expectHeader().valueEquals("x-ratelimit-limit-requests", "20")
            .expectBody().jsonPath("$.error.code").isEqualTo("token_budget_exceeded");

        limits(tenant, "{\"budget\":{\"tokens_per_day\":null}}").expectStatus().isOk().expectBody()
            .jsonPath("$.budget.tokens_per_day").isEqualTo(5000000);
        chat(key, CHAT_100).exchange().expectStatus().isOk();
    }

    @Test
    void refusesNegativeAbsurdAndMalformedLimitsAndWritesNothing() {
        String tenant = tenantId("strict");
        createTenant(tenant);
        Map<String, String> badChanges = Map.ofEntries(
                Map.entry("{\"budget\":{\"tokens_per_day\":-1}}", "budget.tokens_per_day"),
                Map.entry("{\"budget\":{\"tokens_per_day\":10000000000000}}", "budget.tokens_per_day"),
                Map.entry("{\"budget\":{\"tokens_per_day\":\"1000\"}}", "budget.tokens_per_day"),
                Map.entry("{\"budget\":{\"tokens_per_day\":1.5}}", "budget.tokens_per_day"),
                Map.entry("{\"budget\":{\"tokens_per_day\":1e400}}", "budget.tokens_per_day"),
                Map.entry("{\"budget\":{\"cost_per_month\":-0.01}}", "budget.cost_per_month"),
                Map.entry("{\"budget\":{\"cost_per_month\":1e10}}", "budget.cost_per_month"),
                Map.entry("{\"budget\":{\"cost_per_month\":0.0000001}}", "budget.cost_per_month"),
                Map.entry("{\"budget\":{\"cost_per_month\":true}}", "budget.cost_per_month"),
                Map.entry("{\"budget\":{\"tokens_per_mnute\":5}}", "budget.tokens_per_mnute"),
                Map.entry("{\"budget\":[1]}", "budget"),
                Map.entry("{\"rate_limit\":{\"requests_per_minute\":0}}", "rate_limit.requests_per_minute"),
                Map.entry("{\"rate_limit\":{\"requests_per_minute\":1000000000}}", "rate_limit.requests_per_minute"),
                Map.entry("{\"rate_limit\":{\"requests_per_minute\":600,\"burst\":2}}", "rate_limit.burst"),
                Map.entry("{\"rate_limit\":{\"requests_per_minute\":60,\"replenish_rate\":1}}", "rate_limit.replenish_rate"),
                Map.entry("{\"rate_limit\":{\"replenish_rate\":10,\"burst_capacity\":5}}", "rate_limit"),
                Map.entry("{}", "rate_limit"));
        badChanges.forEach((body, param) -> limits(tenant, body).expectStatus().isBadRequest()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.error.param").isEqualTo(param));
        for (String malformed : List.of("{\"budget\":{\"tokens_per_day\":1,\"tokens_per_day\":2}}", "[]", "", "{\"budget\":")) {
            limits(tenant, malformed).expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        admin().get().uri("/api/admin/tenants/" + tenant).exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.budget.tokens_per_day").isEqualTo(5000000)
            .jsonPath("$.rate_limit.replenish_rate").isEqualTo(5);

        String rejected = tenantId("never");
        admin().post().uri("/api/admin/tenants").contentType(MediaType.APPLICATION_JSON).bodyValue("""
                {"id":"%s","models":["sim-small"],"rate_limit":{"replenish_rate":5,"burst_capacity":10},
                 "budget":{"tokens_per_day":-5}}""".formatted(rejected))
            .exchange().expectStatus().isBadRequest();
        admin().get().uri("/api/admin/tenants/" + rejected).exchange().expectStatus().isNotFound()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        limits("nobody-here", "{\"budget\":{\"tokens_per_day\":5}}").expectStatus().isNotFound();
        limits("Not An Id", "{\"budget\":{\"tokens_per_day\":5}}").expectStatus().isBadRequest();
        client.put().uri("/api/admin/tenants/" + tenant + "/limits").header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY)
            .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"budget\":{\"tokens_per_day\":1}}").exchange()
            .expectStatus().isForbidden();
    }

    private static String tenantId(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }

    private void createTenant(String id) {
        admin().post().uri("/api/admin/tenants").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"id\":\"" + id + "\",\"models\":[\"sim-small\"],\"rate_limit\":{\"replenish_rate\":5,\"burst_capacity\":10}}")
            .exchange().expectStatus().isCreated();
    }

    private String issue(String tenant) {
        Map<String, Object> issued = admin().post().uri("/api/admin/tenants/" + tenant + "/keys")
            .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"app\",\"scopes\":[\"chat\"]}")
            .exchange().expectStatus().isCreated()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
            }).returnResult().getResponseBody();
        return (String) issued.get("key");
    }

    private WebTestClient.ResponseSpec limits(String tenant, String body) {
        return admin().put().uri("/api/admin/tenants/" + tenant + "/limits").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body).exchange();
    }

    private WebTestClient admin() {
        return client.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY).build();
    }
}
