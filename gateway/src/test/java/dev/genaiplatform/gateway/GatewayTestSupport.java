package dev.genaiplatform.gateway;

import java.time.Duration;

import com.nimbusds.jose.JWSAlgorithm;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.security.InternalToken;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.client.RestOperations;
import org.springframework.web.client.RestTemplate;

/**
 * One gateway for the integration tests that share it (one Spring context, cached across the classes that
 * extend this), with a real Redis, PostgreSQL and Kafka broker, and a fake backend standing in for every service. Tenants: demo (the
 * application.yml keys, models [sim-small]), acme (hashed key, two models, scopes chat agent evaluation),
 * limited (a burst of three requests), rotating (two keys, one request per key), chatonly (scope chat), bulk
 * (100,000 requests a second, for the bursts), and the platform tenant's admin key. The guardrails service is down.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "PLATFORM_DEMO_API_KEY=" + GatewayTestSupport.DEMO_KEY,
        "PLATFORM_ADMIN_API_KEY=" + GatewayTestSupport.ADMIN_KEY,
        "management.server.port=0",
        // demo may use only sim-small here, so that sim-large is a model of another tenant
        "platform.gateway.tenants.demo.models=sim-small",
        "platform.gateway.tenants.acme.models=sim-small,sim-large",
        "platform.gateway.tenants.acme.rate-limit.replenish-rate=50",
        "platform.gateway.tenants.acme.rate-limit.burst-capacity=100",
        // sha256("acme-key"): the production way to configure a key
        "platform.gateway.tenants.acme.keys.app.api-key-sha256=afacab3575137afa4e00d9cbcafcb14c9ae25f779d964eb0ea5b2c4eb5dfd163",
        "platform.gateway.tenants.acme.keys.app.scopes=chat,agent,evaluation",
        "platform.gateway.tenants.limited.models=sim-small",
        // one token per second, 100 per request: 3 in a burst, and no refill within a test run
        "platform.gateway.tenants.limited.rate-limit.replenish-rate=1",
        "platform.gateway.tenants.limited.rate-limit.burst-capacity=300",
        "platform.gateway.tenants.limited.rate-limit.requested-tokens=100",
        "platform.gateway.tenants.limited.keys.only.api-key=" + GatewayTestSupport.LIMITED_KEY,
        "platform.gateway.tenants.limited.keys.only.scopes=chat",
        // two keys, as during a rotation: a plain one and a hashed one; one request each
        "platform.gateway.tenants.rotating.models=sim-large",
        "platform.gateway.tenants.rotating.rate-limit.replenish-rate=1",
        "platform.gateway.tenants.rotating.rate-limit.burst-capacity=100",
        "platform.gateway.tenants.rotating.rate-limit.requested-tokens=100",
        "platform.gateway.tenants.rotating.keys.old.api-key=" + GatewayTestSupport.ROTATING_OLD_KEY,
        "platform.gateway.tenants.rotating.keys.old.scopes=chat",
        // sha256("rotating-new-key")
        "platform.gateway.tenants.rotating.keys.new.api-key-sha256=1a92ade114c63e408ecd5fefc060c9ae5a81402674e9a92c7f619752716a3575",
        "platform.gateway.tenants.rotating.keys.new.scopes=chat",
        "platform.gateway.tenants.chatonly.models=sim-small",
        "platform.gateway.tenants.chatonly.rate-limit.replenish-rate=50",
        "platform.gateway.tenants.chatonly.rate-limit.burst-capacity=100",
        "platform.gateway.tenants.chatonly.keys.app.api-key=" + GatewayTestSupport.CHAT_ONLY_KEY,
        "platform.gateway.tenants.chatonly.keys.app.scopes=chat",
        // budgets: metered (ample, for reconciliation), budgeted (1,000 tokens a day), pricey ($0.001 a month)
        "platform.gateway.budget.prices.sim-small.input=1.0",
        "platform.gateway.budget.prices.sim-small.output=2.0",
        "platform.gateway.tenants.metered.models=sim-small",
        "platform.gateway.tenants.metered.rate-limit.replenish-rate=50",
        "platform.gateway.tenants.metered.rate-limit.burst-capacity=100",
        "platform.gateway.tenants.metered.keys.app.api-key=" + GatewayTestSupport.METERED_KEY,
        "platform.gateway.tenants.metered.keys.app.scopes=chat",
        "platform.gateway.tenants.budgeted.models=sim-small",
        "platform.gateway.tenants.budgeted.rate-limit.replenish-rate=50",
        "platform.gateway.tenants.budgeted.rate-limit.burst-capacity=100",
        "platform.gateway.tenants.budgeted.keys.app.api-key=" + GatewayTestSupport.BUDGETED_KEY,
        "platform.gateway.tenants.budgeted.keys.app.scopes=chat",
        "platform.gateway.budget.tenants.budgeted.tokens-per-day=1000",
        "platform.gateway.tenants.pricey.models=sim-small",
        "platform.gateway.tenants.pricey.rate-limit.replenish-rate=50",
        "platform.gateway.tenants.pricey.rate-limit.burst-capacity=100",
        "platform.gateway.tenants.pricey.keys.app.api-key=" + GatewayTestSupport.PRICEY_KEY,
        "platform.gateway.tenants.pricey.keys.app.scopes=chat",
        "platform.gateway.budget.tenants.pricey.cost-per-month=0.001",
        // bulk: for the classes that send hundreds or thousands of requests at once (AdmissionIT, ConcurrentStreamsIT).
        // Named here, in every context's configuration, because each context (and SecondGateway) seeds the shared
        // database with the tenants it names as it starts, the last winning: a rate limit raised in one class's own
        // properties was written back by the next context to start, and that class's key read it once its cache entry
        // was reloaded (ConcurrentStreamsIT's 429s on failsafe's rerun, README, Limits)
        "platform.gateway.tenants.bulk.models=sim-small",
        "platform.gateway.tenants.bulk.rate-limit.replenish-rate=100000",
        "platform.gateway.tenants.bulk.rate-limit.burst-capacity=100000",
        "platform.gateway.tenants.bulk.keys.app.api-key=" + GatewayTestSupport.BULK_KEY,
        "platform.gateway.tenants.bulk.keys.app.scopes=chat",
        // the operator's key: the admin tests make many calls in a row
        "platform.gateway.tenants.platform.rate-limit.replenish-rate=1000",
        "platform.gateway.tenants.platform.rate-limit.burst-capacity=2000",
        "platform.gateway.client.max-concurrent-streams=1",
        // every request traced, as the launcher's test runs do (production samples 10 %)
        "management.tracing.sampling.probability=1.0",
        "platform.gateway.client.read-timeout=5s",
        "platform.gateway.client.request-timeout=8s",
        "platform.gateway.token.expiry-skew=1s",
        // every instance in these tests shares one signing-key ring in PostgreSQL, as replicas in production do
        "platform.gateway.token.key-encryption-secret=" + GatewayTestSupport.SIGNING_KEY_SECRET,
        "platform.gateway.token.refresh-interval=200ms",
        "spring.cloud.gateway.server.webflux.httpclient.response-timeout=3s",
        "platform.gateway.upstream-idle-timeout=3s",
        "platform.gateway.stream-deadline-grace=1s" })
@EmbeddedKafka(partitions = 1, topics = { Topics.GATEWAY_API_KEY_REVOKED, Topics.GATEWAY_TENANT_LIMITS_CHANGED },
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
abstract class GatewayTestSupport {

    static final String DEMO_KEY = "demo-test-key";

    /** Seals the shared signing keys; a test value, the launcher generates the real one. */
    static final String SIGNING_KEY_SECRET = "test-signing-key-secret-0123456789abcdef";

    static final String ADMIN_KEY = "admin-test-key";

    static final String ACME_KEY = "acme-key";

    static final String LIMITED_KEY = "limited-key";

    static final String CHAT_ONLY_KEY = "chat-only-key";

    static final String METERED_KEY = "metered-key";

    static final String BUDGETED_KEY = "budgeted-key";

    static final String PRICEY_KEY = "pricey-key";

    /** The bulk tenant's key: a rate limit no burst in these tests reaches. */
    static final String BULK_KEY = "bulk-key";

    static final String ROTATING_OLD_KEY = "rotating-old-key";

    static final String ROTATING_NEW_KEY = "rotating-new-key";

    static final String VALID_CHAT = """
            {"model":"sim-small","messages":[{"role":"user","content":"Hello"}]}""";

    /** Shared by every class on this context; it lives as long as the test JVM. */
    static final FakeBackend backend = new FakeBackend();

    @LocalServerPort
    int port;

    WebTestClient client;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", TestRedis::port);
        TestDatabase.register(registry);
        registry.add("ORCHESTRATOR_URL", backend::url);
        registry.add("EVALUATION_URL", backend::url);
        registry.add("TOOLS_AGENT_URL", backend::url);
        registry.add("RETRIEVAL_URL", backend::url);
        // nothing listens there, and nothing can start to while the tests run: the guardrails service is "down"
        registry.add("GUARDRAILS_URL", () -> "http://127.0.0.1:" + RefusingPort.port());
    }

    @BeforeEach
    void setUpClient() {
        backend.reset();
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
            .responseTimeout(Duration.ofSeconds(20)).build();
    }

    /**
     * Verifies a forwarded token the way a service does (ADR 0004): signature against the gateway's JWK set
     * URI, plus issuer, audience and expiry.
     */
    Jwt verifyAsAService(String bearer) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri("http://127.0.0.1:" + port + InternalToken.JWKS_PATH)
            .jwsAlgorithm(SignatureAlgorithm.from(JWSAlgorithm.ES256.getName()))
            .restOperations(jwksClient())
            .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(InternalToken.ISSUER),
                new JwtClaimValidator<java.util.List<String>>("aud", aud -> aud != null && aud.contains(InternalToken.AUDIENCE))));
        return decoder.decode(bearer.substring("Bearer ".length()));
    }

    /**
     * How a test fetches a gateway's JWK set. Nimbus's default, 500 ms to connect and 500 ms to read, suits a service
     * on its request path; GatewayIT once timed out on it on a machine kept busy by other processes (wave 12).
     */
    static RestOperations jwksClient() {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(Duration.ofSeconds(10));
        requests.setReadTimeout(Duration.ofSeconds(10));
        return new RestTemplate(requests);
    }

    WebTestClient.RequestHeadersSpec<?> chat(String apiKey, Object body) {
        return client.post().uri("/v1/chat/completions")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body);
    }

    WebTestClient.ResponseSpec models(String apiKey) {
        return client.get().uri("/v1/models").header(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey).exchange();
    }
}
