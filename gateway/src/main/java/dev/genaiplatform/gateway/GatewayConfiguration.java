package dev.genaiplatform.gateway;

import dev.genaiplatform.gateway.models.ModelListHandler;
import dev.genaiplatform.gateway.observability.RequestIdFilter;
import dev.genaiplatform.gateway.problem.ProblemDetailExceptionHandler;
import dev.genaiplatform.gateway.ratelimit.ApiKeyRateLimitFilter;
import dev.genaiplatform.gateway.tenant.ApiKeyAuthenticationFilter;
import dev.genaiplatform.gateway.tenant.TenantDirectory;
import dev.genaiplatform.gateway.validation.ChatRequestValidationFilter;
import dev.genaiplatform.gateway.validation.ChatRequestValidator;
import dev.genaiplatform.gateway.validation.RequestSizeLimitFilter;
import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.filter.ratelimit.RedisRateLimiter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The edge's beans. Routes to backends are configuration (application.yml); what runs before them are
 * WebFilters, in the order {@link FilterOrder} gives: request id, API key, rate limit, size, validation.
 * They are WebFilters rather than gateway filters so that they also guard {@code GET /v1/models}, which
 * the gateway answers itself.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PlatformGatewayProperties.class)
class GatewayConfiguration {

    @Bean
    TenantDirectory tenantDirectory(PlatformGatewayProperties properties) {
        return new TenantDirectory(properties.tenants());
    }

    @Bean
    RequestIdFilter requestIdFilter() {
        return new RequestIdFilter();
    }

    @Bean
    ApiKeyAuthenticationFilter apiKeyAuthenticationFilter(TenantDirectory tenants) {
        return new ApiKeyAuthenticationFilter(tenants);
    }

    @Bean
    ApiKeyRateLimitFilter apiKeyRateLimitFilter(RedisRateLimiter redisRateLimiter, TenantDirectory tenants,
            PlatformGatewayProperties properties, MeterRegistry meters) {
        return new ApiKeyRateLimitFilter(redisRateLimiter, tenants.tenants(), properties.rateLimitFailOpen(), meters);
    }

    /**
     * While Redis is unreachable Lettuce would queue each rate-limit check until the command timeout,
     * adding that timeout to every request; rejecting at once lets the fail-open (or fail-closed)
     * decision happen without delay. Lettuce keeps reconnecting in the background.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer rejectRedisCommandsWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
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
    RouterFunction<ServerResponse> modelRoutes() {
        ModelListHandler models = new ModelListHandler();
        return RouterFunctions.route(RequestPredicates.GET("/v1/models"), models::list);
    }

    @Bean
    ProblemDetailExceptionHandler problemDetailExceptionHandler(ServerCodecConfigurer codecs) {
        return new ProblemDetailExceptionHandler(codecs);
    }

    /**
     * The gateway's response-timeout only bounds the wait for response headers; a stream that stalls
     * afterwards would hold the connection forever. Reactor Netty's per-response read timeout closes
     * it after this much silence.
     */
    @Bean
    HttpClientCustomizer upstreamIdleTimeout(PlatformGatewayProperties properties) {
        return httpClient -> httpClient.responseTimeout(properties.upstreamIdleTimeout());
    }
}
