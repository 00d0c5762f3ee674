package dev.genaiplatform.gateway;

import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.gateway.admin.TenantAdminHandler;
import dev.genaiplatform.gateway.admin.UserAdminHandler;
import dev.genaiplatform.gateway.budget.BudgetLedger;
import dev.genaiplatform.gateway.budget.TokenBudgetFilter;
import dev.genaiplatform.gateway.messaging.ApiKeyRevocations;
import dev.genaiplatform.gateway.messaging.TenantLimitChanges;
import dev.genaiplatform.gateway.PlatformGatewayProperties.ClientProperties;
import dev.genaiplatform.gateway.models.ModelListHandler;
import dev.genaiplatform.gateway.observability.ForwardedTraceContext;
import dev.genaiplatform.gateway.observability.RequestIdFilter;
import dev.genaiplatform.gateway.observability.TraceIdFilter;
import dev.genaiplatform.gateway.observability.UntrustedTraceContext;
import dev.genaiplatform.gateway.problem.ProblemDetailExceptionHandler;
import dev.genaiplatform.gateway.ratelimit.AdmissionFilter;
import dev.genaiplatform.gateway.ratelimit.ApiKeyRateLimitFilter;
import dev.genaiplatform.gateway.ratelimit.ConcurrentStreamLimitFilter;
import dev.genaiplatform.gateway.ratelimit.TenantRateLimiter;
import dev.genaiplatform.gateway.routing.CanonicalPathFilter;
import dev.genaiplatform.gateway.routing.ProxyHttpClientFactory;
import dev.genaiplatform.gateway.routing.RequireScope;
import dev.genaiplatform.gateway.routing.RouteScopeFilter;
import dev.genaiplatform.gateway.server.HeaderDeadlineHandler;
import dev.genaiplatform.gateway.server.PerLoopRedisConnections;
import dev.genaiplatform.gateway.server.ServerLoops;
import dev.genaiplatform.gateway.streaming.StreamEndingFilter;
import dev.genaiplatform.gateway.tenant.ApiKeyAuthenticationFilter;
import dev.genaiplatform.gateway.tenant.ApiKeyCache;
import dev.genaiplatform.gateway.tenant.ApiKeyStore;
import dev.genaiplatform.gateway.tenant.TenantDirectory;
import dev.genaiplatform.gateway.tenant.UserGroups;
import dev.genaiplatform.gateway.token.InternalTokenFilter;
import dev.genaiplatform.gateway.token.InternalTokenIssuer;
import dev.genaiplatform.gateway.token.SigningKeyHandler;
import dev.genaiplatform.gateway.token.SigningKeyRing;
import dev.genaiplatform.gateway.token.SharedSigningKeyRing;
import dev.genaiplatform.gateway.token.SigningKeys;
import dev.genaiplatform.gateway.ui.WebUi;
import dev.genaiplatform.gateway.validation.ChatRequestValidationFilter;
import dev.genaiplatform.gateway.validation.ChatRequestValidator;
import dev.genaiplatform.gateway.validation.RequestSizeLimitFilter;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.propagation.Propagator;
import reactor.netty.NettyPipeline;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.config.HttpClientSslConfigurer;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The edge's beans. Routes to backends are configuration (application.yml), each with the scope it needs
 * in its metadata. What runs before them is the list in {@link FilterOrder}: WebFilters for every request
 * (request id, canonical path, API key, rate limit), then global filters bound to the matched route (scope,
 * size, chat validation, concurrent streams, internal token). The gateway answers a few paths itself
 * ({@link #gatewayRoutes}), the web UI's files among them ({@link WebUi}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PlatformGatewayProperties.class)
class GatewayConfiguration {

    @Bean
    TenantDirectory tenantDirectory(PlatformGatewayProperties properties) {
        return new TenantDirectory(properties.tenants());
    }

    /** After Flyway: the schema must exist before the store is used. */
    @Bean
    @DependsOn("flywayInitializer")
    ApiKeyStore apiKeyStore(DataSource dataSource, PlatformTransactionManager transactions) {
        return new ApiKeyStore(JdbcClient.create(dataSource), new TransactionTemplate(transactions));
    }

    /** The configured tenants and keys are written to the store while the context starts, before any request. */
    @Bean
    SeededKeys seededKeys(ApiKeyStore store, TenantDirectory configured) {
        return new SeededKeys(store.seed(configured));
    }

    @Bean
    ApiKeyCache apiKeyCache(ApiKeyStore store, SeededKeys seeded, PlatformGatewayProperties properties) {
        return new ApiKeyCache(store, properties.keyCacheTtl());
    }

    /** Same ttl as the key cache: how long another instance may show a user's old groups after a change. */
    @Bean
    @DependsOn("flywayInitializer")
    UserGroups userGroups(DataSource dataSource, PlatformGatewayProperties properties) {
        return new UserGroups(JdbcClient.create(dataSource), properties.keyCacheTtl(), 100_000);
    }

    @Bean
    ApiKeyRevocations apiKeyRevocations(ApiKeyCache cache, KafkaTemplate<String, Object> kafka,
            InternalTokenIssuer tokenIssuer) {
        return new ApiKeyRevocations(cache, kafka, tokenIssuer);
    }

    @Bean
    TenantLimitChanges tenantLimitChanges(ApiKeyCache cache, KafkaTemplate<String, Object> kafka) {
        return new TenantLimitChanges(cache, kafka);
    }

    /** A configured key whose value changed replaced the old one at start: tell the other instances. */
    @Bean
    ApplicationRunner announceReplacedKeys(SeededKeys seeded, ApiKeyRevocations revocations) {
        return arguments -> seeded.replaced().forEach(key -> revocations.revoked(key, null));
    }

    record SeededKeys(List<ApiKeyStore.RevokedKey> replaced) {
    }

    @Bean
    RequestIdFilter requestIdFilter() {
        return new RequestIdFilter();
    }

    @Bean
    TraceIdFilter traceIdFilter() {
        return new TraceIdFilter();
    }

    /** Applied to the whole HTTP handler by WebHttpHandlerBuilder, before the server observation starts. */
    @Bean
    UntrustedTraceContext untrustedTraceContext() {
        return new UntrustedTraceContext();
    }

    @Bean
    AdmissionFilter admissionFilter(PlatformGatewayProperties properties, MeterRegistry meters) {
        return new AdmissionFilter(properties.admission(), meters);
    }

    @Bean
    CanonicalPathFilter canonicalPathFilter() {
        return new CanonicalPathFilter();
    }

    @Bean
    ApiKeyAuthenticationFilter apiKeyAuthenticationFilter(ApiKeyCache keys, PlatformGatewayProperties properties,
            MeterRegistry meters) {
        return new ApiKeyAuthenticationFilter(keys, properties.client(), meters);
    }

    /**
     * Replaces Spring Cloud Gateway's RedisRateLimiter bean (same script, its text read once: {@link RedisScripts}),
     * so tenants may appear at run time.
     */
    @Bean
    TenantRateLimiter tenantRateLimiter(ReactiveStringRedisTemplate redis,
            @Qualifier(RedisRateLimiter.REDIS_SCRIPT_NAME) RedisScript<List<Long>> script, ConfigurationService configuration) {
        return new TenantRateLimiter(redis, RedisScripts.once(script), configuration);
    }

    @Bean
    ApiKeyRateLimitFilter apiKeyRateLimitFilter(TenantRateLimiter rateLimiter, PlatformGatewayProperties properties,
            MeterRegistry meters) {
        return new ApiKeyRateLimitFilter(rateLimiter, properties.rateLimitFailOpen(), meters);
    }

    @Bean
    RouteScopeFilter routeScopeFilter() {
        return new RouteScopeFilter();
    }

    @Bean
    RequestSizeLimitFilter requestSizeLimitFilter(PlatformGatewayProperties properties) {
        return new RequestSizeLimitFilter(properties.maxRequestBytes());
    }

    @Bean
    ChatRequestValidationFilter chatRequestValidationFilter() {
        return new ChatRequestValidationFilter(new ChatRequestValidator());
    }

    @Bean
    ConcurrentStreamLimitFilter concurrentStreamLimitFilter(PlatformGatewayProperties properties, MeterRegistry meters) {
        return new ConcurrentStreamLimitFilter(properties.client().maxConcurrentStreams(), meters);
    }

    /** A stream's deadline is the token's (the response timeout from now), plus the grace. */
    @Bean
    StreamEndingFilter streamEndingFilter(PlatformGatewayProperties properties, HttpClientProperties httpClient,
            MeterRegistry meters) {
        return new StreamEndingFilter(httpClient.getResponseTimeout(), properties.streamDeadlineGrace(),
                properties.upstreamIdleTimeout(), meters);
    }

    /** The bucket script too: a chat completion's reservation takes its rate-limit token in the same script. */
    @Bean
    TokenBudgetFilter tokenBudgetFilter(ReactiveStringRedisTemplate redis, PlatformGatewayProperties properties,
            MeterRegistry meters, @Qualifier(RedisRateLimiter.REDIS_SCRIPT_NAME) RedisScript<List<Long>> bucketScript) {
        return new TokenBudgetFilter(new BudgetLedger(redis, bucketScript), properties.budget(), meters,
                Clock.systemUTC());
    }

    /**
     * Keys rotate on schedule; never twice within a token's life (deadline + skew), or live tokens would fail.
     * With a key-encryption secret every instance shares one ring in PostgreSQL (after Flyway); without, this
     * instance keeps its own in memory.
     */
    @Bean
    @DependsOn("flywayInitializer")
    SigningKeys signingKeys(PlatformGatewayProperties properties, HttpClientProperties httpClient, DataSource dataSource,
            PlatformTransactionManager transactions) {
        PlatformGatewayProperties.TokenProperties token = properties.token();
        java.time.Duration longestTokenLife = httpClient.getResponseTimeout().plus(token.expirySkew());
        // a retired key stays published while a batch grant it signed may live (plus a request token's life, which
        // covers instances that still sign with it until their next refresh)
        java.time.Duration retiredKeyLife = properties.batch().grantLifetime().plus(longestTokenLife);
        if (token.sharedKeys()) {
            return new SharedSigningKeyRing(JdbcClient.create(dataSource), new TransactionTemplate(transactions),
                    token.keyEncryptionSecret(), token.rotationInterval(), longestTokenLife, retiredKeyLife,
                    token.refreshInterval());
        }
        org.slf4j.LoggerFactory.getLogger(GatewayConfiguration.class).info("Signing keys are this instance's own, in "
                + "memory (no platform.gateway.token.key-encryption-secret): run one gateway instance, or set it");
        return new SigningKeyRing(token.rotationInterval(), longestTokenLife, retiredKeyLife, Clock.systemUTC());
    }

    /** A request's deadline is the gateway's own response timeout: past it the gateway has given up anyway. */
    @Bean
    InternalTokenIssuer internalTokenIssuer(SigningKeys keys, PlatformGatewayProperties properties,
            HttpClientProperties httpClient) {
        return new InternalTokenIssuer(keys, httpClient.getResponseTimeout(), properties.token().expirySkew(),
                properties.batch().grantLifetime(), Clock.systemUTC());
    }

    @Bean
    InternalTokenFilter internalTokenFilter(InternalTokenIssuer tokenIssuer, UserGroups userGroups,
            ObjectProvider<Propagator> propagator) {
        return new InternalTokenFilter(tokenIssuer, userGroups, new ForwardedTraceContext(propagator.getIfAvailable()));
    }

    @Bean
    RouterFunction<ServerResponse> gatewayRoutes(SigningKeys keys, ApiKeyStore store, ApiKeyRevocations revocations,
            TenantLimitChanges limitChanges, PlatformGatewayProperties properties, UserGroups userGroups) {
        ModelListHandler models = new ModelListHandler();
        SigningKeyHandler signingKeys = new SigningKeyHandler(keys);
        TenantAdminHandler admin = new TenantAdminHandler(store, revocations, limitChanges, properties.budget());
        UserAdminHandler users = new UserAdminHandler(userGroups);
        return RouterFunctions.route()
            .GET("/v1/models", models::list)
            .add(WebUi.routes())
            .GET(InternalToken.JWKS_PATH, signingKeys::jwks)
            .add(RouterFunctions.route()
                .POST("/api/admin/signing-keys/rotate", signingKeys::rotate)
                .POST("/api/admin/tenants", admin::createTenant)
                .GET("/api/admin/tenants/{tenant}", admin::getTenant)
                .PUT("/api/admin/tenants/{tenant}/limits", admin::updateLimits)
                .GET("/api/admin/tenants/{tenant}/keys", admin::listKeys)
                .POST("/api/admin/tenants/{tenant}/keys", admin::issueKey)
                .POST("/api/admin/keys/{id}/rotate", admin::rotateKey)
                .DELETE("/api/admin/keys/{id}", admin::revokeKey)
                .PUT("/api/admin/tenants/{tenant}/users/{user}", users::putUser)
                .GET("/api/admin/tenants/{tenant}/users/{user}", users::getUser)
                .DELETE("/api/admin/tenants/{tenant}/users/{user}", users::deleteUser)
                .filter(RequireScope.scope(InternalToken.SCOPE_ADMIN))
                .build())
            .build();
    }

    @Bean
    ProblemDetailExceptionHandler problemDetailExceptionHandler(ServerCodecConfigurer codecs) {
        return new ProblemDetailExceptionHandler(codecs);
    }

    /**
     * While Redis is unreachable Lettuce would queue each rate-limit check until the command timeout,
     * adding that timeout to every request; rejecting at once lets the fail-open (or fail-closed)
     * decision happen without delay. Lettuce keeps reconnecting in the background. The server loops' own
     * connections ({@link PerLoopRedisConnections}) take these options too.
     *
     * <p>Lettuce's replies arrive on the event-loop thread of their connection, and a reactive chain goes on where
     * its last signal came from: a call made on a server loop is answered on that loop (its own connection), any
     * other on the shared connection's one thread, and the rest of the request runs there.
     * {@code publishOnScheduler(true)} would spread that over
     * Lettuce's computation pool; measured side by side on 2 cores it bought 10 % more throughput at 32
     * connections and cost 0.7 ms of sequential p50 (a thread hop per Redis reply), so it stays off here. On a
     * gateway with more cores, where that one thread becomes the ceiling, switch it on.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer rejectRedisCommandsWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }

    /**
     * A client that sends its headers or body slowly holds a connection and a buffer for as long as it
     * likes unless the server bounds it: silence while reading ({@code read-timeout}) and the whole request
     * ({@code request-timeout}) end in 408 and a close; a kept-alive connection without a request is closed
     * after {@code idle-timeout}; headers that trickle in are bounded by {@link HeaderDeadlineHandler}.
     */
    @Bean
    NettyServerCustomizer clientTimeouts(PlatformGatewayProperties properties) {
        ClientProperties client = properties.client();
        return server -> server.readTimeout(client.readTimeout())
            .requestTimeout(client.requestTimeout())
            .idleTimeout(client.idleTimeout())
            .doOnChannelInit((observer, channel, address) -> {
                if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                    channel.pipeline().addAfter(NettyPipeline.HttpCodec, "platform.headerDeadline",
                            new HeaderDeadlineHandler(client.readTimeout(), client.idleTimeout().plus(client.readTimeout())));
                }
            });
    }

    /**
     * Every Redis call made on a server event loop goes over that loop's own connection once it is connected, the
     * shared one (Spring Boot's) until then and everywhere else: the reply comes back on the request's own thread
     * ({@link PerLoopRedisConnections}; README, Benchmark, "Wave 13"). Primary, so the templates and the rate limiter
     * take it.
     */
    @Bean
    @Primary
    PerLoopRedisConnections perLoopRedisConnections(LettuceConnectionFactory shared, ReactorResourceFactory loops,
            ClientResources resources) {
        return new PerLoopRedisConnections(shared, loops, resources);
    }

    /**
     * The proxy's connections on the server's own event loops, each new one on the loop of the request that opens it
     * (Reactor Netty's client loops are colocated), in a pool per loop ({@link ProxyHttpClientFactory}). A chat
     * completion resumes on its client's loop after Redis ({@link dev.genaiplatform.gateway.server.RequestEventLoop}),
     * so the proxy call, its answer and the write to the client stay on one thread instead of passing to Reactor
     * Netty's global loops and back (README, Benchmark, "Wave 11").
     */
    @Bean
    HttpClientCustomizer proxyOnServerLoops(ReactorResourceFactory resources) {
        ServerLoops loops = new ServerLoops(resources);
        return httpClient -> httpClient.runOn(loops);
    }

    /** Replaces Spring Cloud Gateway's factory of the proxy client: the same client, its pool kept per event loop. */
    @Bean
    ProxyHttpClientFactory gatewayHttpClientFactory(HttpClientProperties properties, ServerProperties server,
            HttpClientSslConfigurer ssl, List<HttpClientCustomizer> customizers) {
        return new ProxyHttpClientFactory(properties, server, ssl, customizers);
    }

    /**
     * The gateway's response-timeout only bounds the wait for response headers; a response that stalls
     * afterwards would hold the connection forever. Reactor Netty's per-response read timeout closes
     * it after this much silence, one second later than a streamed chat completion's own silence timer
     * ({@link StreamEndingFilter}), which must come first so the stream ends with its error event.
     */
    @Bean
    HttpClientCustomizer upstreamIdleTimeout(PlatformGatewayProperties properties) {
        return httpClient -> httpClient.responseTimeout(properties.upstreamIdleTimeout().plusSeconds(1));
    }
}
