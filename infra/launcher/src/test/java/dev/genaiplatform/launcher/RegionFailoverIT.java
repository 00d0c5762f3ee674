package dev.genaiplatform.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two regions on one machine (issue 13 item 8, docs/multi-region.md section 7): the shared platform is region A,
 * {@link SecondRegion} starts region B beside it (a gateway, an orchestrator and a Redis of its own; the broker,
 * PostgreSQL and the other services shared), and a {@link FailoverDrill} kills region A's gateway and orchestrator
 * while clients send requests.
 *
 * <p>Ordered last of all end-to-end classes: it kills the shared platform's gateway and orchestrator and does not
 * restart them (a restart would add a minute to every build for no test's benefit).
 */
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegionFailoverIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static LauncherSettings regionA;
    private static Platform platform;
    private static SecondRegion regionB;
    /** The key test 1 issues in region A and test 3 uses in region B. */
    private static String regionsKey;

    @BeforeAll
    static void startRegionB() throws Exception {
        regionA = RunningPlatform.get();
        platform = RunningPlatform.platform();
        int[] ports = RunningPlatform.freePorts(3);
        regionB = SecondRegion.start(regionA, platform.secrets(), new SecondRegion.Ports(ports[0], ports[1], ports[2]),
                line -> System.out.println("[regions] " + line));
        // the shared services now find the key set at either region's gateway
        RunningPlatform.jwksRelay().add(regionB.gateway());
    }

    @AfterAll
    static void stopRegionB() {
        if (regionB != null) {
            regionB.close();
        }
    }

    @Test
    @Order(1)
    void aTenantOfItsOwnSpendsItsBurstInRegionA() throws Exception {
        String admin = platform.secrets().get(PlatformSecrets.ADMIN_API_KEY);
        URI a = URI.create("http://127.0.0.1:" + regionA.gatewayPort());
        // a tenant of its own, 6 requests a minute with a burst of 3, created through region A's admin API
        HttpResponse<String> tenant = post(a, "/api/admin/tenants", admin, """
                {"id":"regions","models":["sim-small"],"rate_limit":{"requests_per_minute":6,"burst":3}}""");
        assertThat(tenant.statusCode()).as(tenant.body()).isEqualTo(201);
        HttpResponse<String> issued = post(a, "/api/admin/tenants/regions/keys", admin, """
                {"name":"drill","scopes":["chat"]}""");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String key = JSON.readTree(issued.body()).get("key").asString();
        assertThat(key).isNotBlank();

        // eight at once in region A: the burst of 3 is spent and the rest refused
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            burst.add(HTTP.sendAsync(chat(a, key, "burst " + i), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = burst.stream().map(f -> f.join().statusCode()).toList();
        assertThat(statuses).contains(429);
        regionsKey = key;
    }

    @Test
    @Order(2)
    void clientsFailOverToRegionBWhenRegionADiesAndEveryRequestIsAnswered() throws Exception {
        URI a = URI.create("http://127.0.0.1:" + regionA.gatewayPort());
        FailoverDrill drill = new FailoverDrill(a, regionB.gateway(), RunningPlatform.DEMO_KEY, "sim-small");
        FailoverDrill.Result result = drill.run(3, Duration.ofSeconds(6), Duration.ofSeconds(10), () -> {
            platform.kill("gateway");
            platform.kill("orchestrator");
        });
        FailoverDrill.print(result, "region A's gateway and orchestrator killed (SIGKILL)", System.out);

        // the drill injects the failure only once region A has answered every client
        assertThat(result.outcomes()).filteredOn(o -> o.endNanos() < result.failureNanos())
                .hasSizeGreaterThanOrEqualTo(3).allMatch(o -> "A".equals(o.servedBy()));
        // no client's user saw an error: each failed attempt in region A was retried in region B and answered there
        assertThat(result.unanswered()).isEmpty();
        // region A's failures were seen and retried; region B never failed a request
        assertThat(result.failedAttempts()).isNotEmpty().allMatch(f -> f.region().equals("A"));
        assertThat(result.firstAnswerFromB()).hasSize(3);
        assertThat(result.servedByAAfterFailure()).isZero();
        // region B carries on alone: its orchestrator reaches the shared guardrails, retrieval and the model
        assertThat(result.after()).isNotEmpty().allMatch(o -> "B".equals(o.servedBy()));
    }

    @Test
    @Order(3)
    void theKeyRegionAIssuedWorksInRegionBWhoseOwnRedisGivesItAFullBucket() throws Exception {
        // region B knows the key (the gateway database is shared) and its Redis never counted it: the burst region A
        // refused is served in full here (docs/multi-region.md section 7)
        HttpResponse<String> inB = HTTP.send(chat(regionB.gateway(), regionsKey, "in B"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(inB.statusCode()).as(inB.body()).isEqualTo(200);
        assertThat(inB.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("2");
    }

    @Test
    @Order(4)
    void regionBsServicesConnectAsTheirServicesKafkaUsersAndAreRefusedNothing() throws Exception {
        // gateway-b and orchestrator-b log in as gateway and orchestrator, with group ids of the same prefixes
        KafkaLeastPrivilegeIT.assertNoKafkaRefusalIn(regionB.services());
    }

    private static HttpResponse<String> post(URI base, String path, String key, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest chat(URI base, String key, String text) {
        return HttpRequest.newBuilder(base.resolve("/v1/chat/completions")).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"model":"sim-small","max_tokens":16,"messages":[{"role":"user","content":"%s"}]}"""
                        .formatted(text))).build();
    }
}
