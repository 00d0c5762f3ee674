package dev.genaiplatform.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.genaiplatform.gateway.budget.BudgetLedger;
import dev.genaiplatform.gateway.budget.TokenEstimator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1,000 chat requests at once through two gateway instances sharing one Redis, for one tenant with two keys and a
 * daily budget that holds about a sixth of them. The budget must hold exactly: what was reserved is exactly the
 * admitted requests' reservations (refused ones, and ones whose reservation timed out, keep none), it never passes
 * the limit, the space left is less than one reservation, and the per-key counts add up to the tenant's. Strict
 * mode ({@code fail-open: false}): an unbudgeted admission would make the count meaningless.
 */
@TestPropertySource(properties = { "platform.gateway.budget.defaults.tokens-per-day=" + BudgetConcurrencyIT.DAY_LIMIT,
        // strict: a reservation Redis cannot make in time is a 503, never an unbudgeted admission
        "platform.gateway.budget.fail-open=false", "spring.data.redis.timeout=2s",
        // this test is about the budget under concurrency: the door admits the whole burst
        "platform.gateway.admission.max-waiting-chat=2000",
        "spring.cloud.gateway.server.webflux.httpclient.response-timeout=60s",
        "platform.gateway.upstream-idle-timeout=60s" })
class BudgetConcurrencyIT extends GatewayTestSupport {

    static final long DAY_LIMIT = 20_000;

    private static final String BODY = "{\"model\":\"sim-small\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

    private static SecondGateway second;

    @Autowired
    ReactiveStringRedisTemplate redis;

    /** This context's own broker; the bootstrap-servers system property belongs to whichever context started last. */
    @Autowired
    org.springframework.kafka.test.EmbeddedKafkaBroker broker;

    @AfterAll
    static void stopSecond() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aThousandConcurrentRequestsOnTwoInstancesNeverSpendPastTheBudget() {
        // a tenant of its own, through the admin API: both instances find it in PostgreSQL, and a rerun starts afresh
        String tenant = "burst-" + Long.toHexString(System.nanoTime());
        client.post().uri("/api/admin/tenants").header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"id\":\"" + tenant + "\",\"models\":[\"sim-small\"],\"rate_limit\":{\"replenish_rate\":5000,\"burst_capacity\":10000}}")
            .exchange().expectStatus().isCreated();
        List<Map<String, Object>> issued = List.of(issue(tenant, "one"), issue(tenant, "two"));
        List<String> keys = issued.stream().map(key -> (String) key.get("key")).toList();
        second = new SecondGateway(broker.getBrokersAsString(), "--platform.gateway.budget.defaults.tokens-per-day=" + DAY_LIMIT,
                "--platform.gateway.admission.max-waiting-chat=2000",
                "--platform.gateway.budget.fail-open=false", "--spring.data.redis.timeout=2s",
                "--spring.cloud.gateway.server.webflux.httpclient.response-timeout=60s");
        ConnectionProvider connections = ConnectionProvider.builder("budget-test").maxConnections(1000)
            .pendingAcquireMaxCount(-1).build();
        WebClient http = WebClient.builder()
            .clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections).responseTimeout(Duration.ofSeconds(120))))
            .build();
        List<String> instances = List.of("http://127.0.0.1:" + port, "http://127.0.0.1:" + second.port());
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger unanswered = new AtomicInteger();
        AtomicInteger budgetRefusals = new AtomicInteger();

        Flux.range(0, 1000).flatMap(i -> http.post().uri(instances.get(i % 2) + "/v1/chat/completions")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + keys.get((i / 2) % 2))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(BODY)
                .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("").map(body -> {
                    statuses.computeIfAbsent(response.statusCode().value(), s -> new AtomicInteger()).incrementAndGet();
                    if (body.contains("token_budget_exceeded")) {
                        budgetRefusals.incrementAndGet();
                    }
                    return body;
                }))
                .onErrorResume(failure -> {
                    unanswered.incrementAndGet(); // reported below: the budget must hold whatever happened to it
                    return reactor.core.publisher.Mono.empty();
                }), 1000)
            .blockLast(Duration.ofMinutes(5));
        connections.dispose();

        int admitted = statuses.getOrDefault(200, new AtomicInteger()).get();
        int refused = statuses.getOrDefault(429, new AtomicInteger()).get();
        int unavailable = statuses.getOrDefault(503, new AtomicInteger()).get();
        Instant now = Instant.now();
        long reservation = new TokenEstimator(1024).promptTokens(JsonMapper.builder().build().readTree(BODY)) + 100;
        // a 503 may have come after Redis reserved: the gateway takes such a reservation back, shortly after
        String dayKey = BudgetLedger.Windows.of(tenant, "-", now).day();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> counter(dayKey) == admitted * reservation);
        }
        catch (org.awaitility.core.ConditionTimeoutException releaseAlsoTimedOut) {
            // checked below: only 503s may have kept a reservation (their release timed out too)
        }
        long total = counter(dayKey);
        long perKey = counter(BudgetLedger.Windows.of(tenant, (String) issued.get(0).get("id"), now).keyDay())
                + counter(BudgetLedger.Windows.of(tenant, (String) issued.get(1).get("id"), now).keyDay());
        System.out.printf("budget %d, reserved %d by %d admitted requests of %d tokens each; %d refused, %d budget store "
                + "too slow (503), %d unanswered%n", DAY_LIMIT, total, admitted, reservation, refused, unavailable, unanswered.get());
        assertThat(admitted + refused + unavailable + unanswered.get()).as("statuses %s", statuses).isEqualTo(1000);
        assertThat(budgetRefusals.get()).isEqualTo(refused);
        assertThat(total % reservation).isZero(); // whole reservations only
        assertThat(total).isGreaterThanOrEqualTo(admitted * reservation); // every admitted request reserved
        // beyond those, only a 503 whose release timed out as well may still count (the safe side: never under)
        assertThat(total - admitted * reservation).isLessThanOrEqualTo(unavailable * reservation);
        assertThat(total).isLessThanOrEqualTo(DAY_LIMIT);
        if (unavailable == 0) {
            assertThat(DAY_LIMIT - total).isLessThan(reservation); // full: nothing refused that would have fit
        }
        assertThat(perKey).isEqualTo(total);
        assertThat(unanswered.get()).as("requests without an answer").isZero();
    }

    private long counter(String key) {
        String value = redis.opsForValue().get(key).block(Duration.ofSeconds(5));
        return value == null ? 0 : Long.parseLong(value);
    }

    private Map<String, Object> issue(String tenant, String name) {
        return client.post().uri("/api/admin/tenants/" + tenant + "/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY)
            .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"" + name + "\",\"scopes\":[\"chat\"]}")
            .exchange().expectStatus().isCreated()
            .expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
            }).returnResult().getResponseBody();
    }
}
