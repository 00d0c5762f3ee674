package dev.genaiplatform.gateway.ratelimit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.genaiplatform.gateway.tenant.ApiKey;
import dev.genaiplatform.gateway.tenant.AuthenticatedTenants;
import dev.genaiplatform.gateway.tenant.Tenant;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.cloud.gateway.filter.ratelimit.RateLimiter;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyRateLimitFilterTests {

    private static final Tenant TENANT = new Tenant("acme", new Tenant.RateLimit(2, 10, 1));

    private static final ApiKey KEY = new ApiKey("0123456789abcdef", TENANT, java.util.Set.of("chat"), List.of("sim-small"));

    private static final ApiKey OTHER_KEY = new ApiKey("fedcba9876543210", TENANT, java.util.Set.of("chat"), List.of("sim-small"));

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final AtomicBoolean forwarded = new AtomicBoolean();

    private final WebFilterChain chain = exchange -> {
        forwarded.set(true);
        return Mono.empty();
    };

    private LettuceConnectionFactory connections;

    @AfterEach
    void closeRedisClient() {
        if (connections != null) {
            connections.destroy();
        }
    }

    @Test
    void springCloudGatewaysLimiterLetsRequestsThroughWhenRedisIsDown() {
        RedisRateLimiter limiter = redisRateLimiterWithoutRedis();
        limiter.getConfig().put("any", new RedisRateLimiter.Config().setReplenishRate(1).setBurstCapacity(1));
        RateLimiter.Response decision = limiter.isAllowed("any", "acme").block();
        assertThat(decision.isAllowed()).isTrue();
        assertThat(decision.getHeaders()).containsEntry(RedisRateLimiter.REMAINING_HEADER, "-1");
    }

    @Test
    void failsOpenByDefaultAndCountsIt() {
        ApiKeyRateLimitFilter filter = new ApiKeyRateLimitFilter(redisRateLimiterWithoutRedis(), true, meters);
        StepVerifier.create(filter.filter(authenticatedExchange(), chain)).verifyComplete();
        assertThat(forwarded).isTrue();
        assertThat(meters.counter("gateway.ratelimit.unavailable").count()).isEqualTo(1);
    }

    @Test
    void answers503WhenRedisIsDownAndFailOpenIsOff() {
        ApiKeyRateLimitFilter filter = new ApiKeyRateLimitFilter(redisRateLimiterWithoutRedis(), false, meters);
        StepVerifier.create(filter.filter(authenticatedExchange(), chain))
            .expectErrorSatisfies(e -> assertThat(((ErrorResponseException) e).getStatusCode().value()).isEqualTo(503))
            .verify();
        assertThat(forwarded).isFalse();
    }

    @Test
    void asksTheLimiterAboutTheKeysOwnBucketWithTheTenantsSettings() {
        RecordingRateLimiter limiter = new RecordingRateLimiter(new RateLimiter.Response(false,
                Map.of(RedisRateLimiter.REMAINING_HEADER, "0", RedisRateLimiter.BURST_CAPACITY_HEADER, "10")));
        ApiKeyRateLimitFilter filter = new ApiKeyRateLimitFilter(limiter, true, meters);

        StepVerifier.create(filter.filter(authenticatedExchange(), chain))
            .expectErrorSatisfies(e -> {
                ErrorResponseException problem = (ErrorResponseException) e;
                assertThat(problem.getStatusCode().value()).isEqualTo(429);
                assertThat(problem.getBody().getDetail()).contains(KEY.id()).contains("acme");
                assertThat(problem.getHeaders().getFirst("Retry-After")).isEqualTo("1");
                assertThat(problem.getHeaders().getFirst(RedisRateLimiter.BURST_CAPACITY_HEADER)).isEqualTo("10");
            })
            .verify();
        RedisRateLimiter.Config config = limiter.getConfig().get(limiter.askedRouteId);
        assertThat(config.getReplenishRate()).isEqualTo(2);
        assertThat(config.getBurstCapacity()).isEqualTo(10);
        assertThat(limiter.askedId).isEqualTo(KEY.id());
        assertThat(forwarded).isFalse();
        assertThat(meters.counter("gateway.ratelimit.rejected").count()).isEqualTo(1);
    }

    @Test
    void givesEachKeyOfATenantItsOwnBucketUnderTheSameSettings() {
        RecordingRateLimiter limiter = new RecordingRateLimiter(new RateLimiter.Response(true,
                Map.of(RedisRateLimiter.REMAINING_HEADER, "9")));
        ApiKeyRateLimitFilter filter = new ApiKeyRateLimitFilter(limiter, true, meters);

        StepVerifier.create(filter.filter(authenticatedExchange(KEY), chain)).verifyComplete();
        String firstRoute = limiter.askedRouteId;
        String firstId = limiter.askedId;
        StepVerifier.create(filter.filter(authenticatedExchange(OTHER_KEY), chain)).verifyComplete();

        assertThat(limiter.askedRouteId).isEqualTo(firstRoute);
        assertThat(List.of(firstId, limiter.askedId)).containsExactly(KEY.id(), OTHER_KEY.id());
    }

    @Test
    void putsAChatCompletionsCheckOffUntilTheBudgetSettlesIt() {
        RecordingRateLimiter limiter = new RecordingRateLimiter(new RateLimiter.Response(true,
                Map.of(RedisRateLimiter.REMAINING_HEADER, "9")));
        ApiKeyRateLimitFilter filter = new ApiKeyRateLimitFilter(limiter, true, meters);
        WebFilterChain budget = exchange -> {
            assertThat(PendingRateLimit.claim(exchange)).isPresent(); // the budget's folded script takes the token
            assertThat(PendingRateLimit.claim(exchange)).isEmpty(); // and nobody else can
            return Mono.empty();
        };

        StepVerifier.create(filter.filter(chatExchange(), budget)).verifyComplete();
        assertThat(limiter.asked).isZero();
    }

    @Test
    void anEmptyBucketsRefusalComesBeforeARefusalOnTheWayToTheBudget() {
        RecordingRateLimiter limiter = new RecordingRateLimiter(new RateLimiter.Response(false,
                Map.of(RedisRateLimiter.REMAINING_HEADER, "0")));
        ApiKeyRateLimitFilter filter = new ApiKeyRateLimitFilter(limiter, true, meters);
        WebFilterChain invalidBody = exchange -> Mono.error(new ErrorResponseException(
                org.springframework.http.HttpStatus.BAD_REQUEST));

        StepVerifier.create(filter.filter(chatExchange(), invalidBody))
            .expectErrorSatisfies(e -> {
                assertThat(((ErrorResponseException) e).getStatusCode().value()).isEqualTo(429);
                assertThat(((ErrorResponseException) e).getHeaders().getFirst("Retry-After")).isEqualTo("1");
            })
            .verify();
        assertThat(limiter.asked).isEqualTo(1);
        assertThat(meters.counter("gateway.ratelimit.rejected").count()).isEqualTo(1);
    }

    @Test
    void aRefusalOnTheWayStandsWhenTheBucketHadATokenAndTheTokenIsTaken() {
        RecordingRateLimiter limiter = new RecordingRateLimiter(new RateLimiter.Response(true,
                Map.of(RedisRateLimiter.REMAINING_HEADER, "9")));
        ApiKeyRateLimitFilter filter = new ApiKeyRateLimitFilter(limiter, true, meters);
        MockServerWebExchange exchange = chatExchange();
        WebFilterChain forbidden = ignored -> Mono.error(new ErrorResponseException(
                org.springframework.http.HttpStatus.FORBIDDEN));

        StepVerifier.create(filter.filter(exchange, forbidden))
            .expectErrorSatisfies(e -> assertThat(((ErrorResponseException) e).getStatusCode().value()).isEqualTo(403))
            .verify();
        assertThat(limiter.asked).isEqualTo(1);
        assertThat(limiter.askedId).isEqualTo(KEY.id());
    }

    @Test
    void aChatCompletionThatEndsBeforeTheBudgetStillTakesItsToken() {
        RecordingRateLimiter limiter = new RecordingRateLimiter(new RateLimiter.Response(true,
                Map.of(RedisRateLimiter.REMAINING_HEADER, "9")));
        ApiKeyRateLimitFilter filter = new ApiKeyRateLimitFilter(limiter, true, meters);

        StepVerifier.create(filter.filter(chatExchange(), chain)).verifyComplete(); // nothing claimed it
        assertThat(limiter.asked).isEqualTo(1);
        StepVerifier.create(filter.filter(chatExchange(), exchange -> Mono.never())).thenCancel().verify(); // client gone
        assertThat(limiter.asked).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({
        // rate, requested, tokens left -> seconds
        "1, 1, 0, 1",
        "50, 1, 0, 1",
        "1, 100, 0, 100",
        "1, 100, 40, 60",
        "2, 5, 1, 2",
        "1, 1, -1, 1" })
    void retryAfterIsTheWholeSecondsUntilEnoughTokensReturn(int rate, int requested, long left, long seconds) {
        Tenant.RateLimit limit = new Tenant.RateLimit(rate, Math.max(rate, requested), requested);
        assertThat(ApiKeyRateLimitFilter.retryAfterSeconds(limit, left)).isEqualTo(seconds);
    }

    private MockServerWebExchange authenticatedExchange() {
        return authenticatedExchange(KEY);
    }

    private static MockServerWebExchange chatExchange() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v1/chat/completions"));
        AuthenticatedTenants.authenticate(exchange, KEY);
        return exchange;
    }

    private static MockServerWebExchange authenticatedExchange(ApiKey key) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1/models"));
        AuthenticatedTenants.authenticate(exchange, key);
        return exchange;
    }

    /** The real limiter and Lua script, pointed at a port where no Redis listens. */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    private TenantRateLimiter redisRateLimiterWithoutRedis() {
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 1));
        connections.afterPropertiesSet();
        connections.start();
        RedisScript<List<Long>> script = (RedisScript) RedisScript.of(
                new ClassPathResource("META-INF/scripts/request_rate_limiter.lua"), List.class);
        return new TenantRateLimiter(new ReactiveStringRedisTemplate(connections), script, null);
    }

    private static final class RecordingRateLimiter extends TenantRateLimiter {

        private final Response response;

        private String askedRouteId;

        private String askedId;

        private int asked;

        RecordingRateLimiter(Response response) {
            this.response = response;
        }

        @Override
        public Mono<Response> isAllowed(String routeId, String id) {
            askedRouteId = routeId;
            askedId = id;
            asked++;
            return Mono.just(response);
        }
    }
}
