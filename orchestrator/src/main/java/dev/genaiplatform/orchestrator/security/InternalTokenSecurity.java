package dev.genaiplatform.orchestrator.security;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.orchestrator.problem.Problems;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * ADR 0004 on HTTP: every request needs the gateway's signed internal token as a bearer token; the chat API
 * also needs scope {@value InternalToken#SCOPE_CHAT}. Actuator lives on the management port bound to loopback
 * and stays open for probes. A missing or bad token is a 401 {@code invalid_internal_token} problem, a token
 * without the scope a 403 {@code insufficient_scope} problem.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class InternalTokenSecurity {

    /**
     * Spring Security's own observations (a span and a timer for the filter chain, the authentication and the
     * authorization of every request) only with {@code platform.orchestrator.security-observations} (default: when
     * traces are exported). Measured in wave 7 (README, Benchmark): the decorators around every filter and the
     * observations they start were several percent of a cache hit's CPU, for spans nobody sees without an exporter.
     * The request's own {@code http.server.requests} observation stays.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings(
            @Value("${platform.orchestrator.security-observations:false}") boolean observed) {
        return observed ? SecurityObservationSettings.withDefaults().build() : SecurityObservationSettings.noObservations();
    }

    /** Tokens verified once, on HTTP or Kafka, are not verified again until they expire (see the class). */
    @Bean
    VerifiedTokenCache verifiedTokenCache() {
        return VerifiedTokenCache.standard();
    }

    @Bean
    ReactiveJwtDecoder internalTokenDecoder(@Value("${platform.security.jwk-set-uri}") String jwkSetUri,
                                            VerifiedTokenCache verified) {
        return verified.reactiveDecoder(InternalTokenVerification.reactiveDecoder(jwkSetUri));
    }

    /** For Kafka records: the same checks, blocking. */
    @Bean
    JwtDecoder internalTokenRecordDecoder(@Value("${platform.security.jwk-set-uri}") String jwkSetUri,
                                          VerifiedTokenCache verified) {
        return verified.decoder(InternalTokenVerification.decoder(jwkSetUri));
    }

    @Bean
    SecurityWebFilterChain internalTokenChain(ServerHttpSecurity http, ReactiveJwtDecoder decoder, JsonMapper json) {
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/actuator/**").permitAll()
                        .pathMatchers("/v1/chat/completions", "/v1/conversations/**", "/v1/users/**",
                                "/v1/batches", "/v1/batches/**", "/v1/files/**")
                        .hasAuthority("SCOPE_" + InternalToken.SCOPE_CHAT)
                        .pathMatchers("/api/agent/**").hasAuthority("SCOPE_" + InternalToken.SCOPE_AGENT)
                        .anyExchange().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.jwtDecoder(decoder))
                        .authenticationEntryPoint((exchange, ex) -> write(exchange, json,
                                ProblemType.INVALID_INTERNAL_TOKEN,
                                "A valid internal token from the gateway is required: " + ex.getMessage()))
                        .accessDeniedHandler((exchange, ex) -> write(exchange, json, ProblemType.INSUFFICIENT_SCOPE,
                                "This API needs scope '" + (exchange.getRequest().getPath().value().startsWith("/api/agent/")
                                        ? InternalToken.SCOPE_AGENT : InternalToken.SCOPE_CHAT) + "'.")))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((exchange, ex) -> write(exchange, json,
                                ProblemType.INVALID_INTERNAL_TOKEN, "A valid internal token from the gateway is required.")))
                .build();
    }

    static Mono<Void> write(ServerWebExchange exchange, JsonMapper json, ProblemType type, String detail) {
        ProblemDetail body = Problems.of(type, detail, null, exchange.getRequest().getPath().value());
        exchange.getResponse().setStatusCode(HttpStatusCode.valueOf(type.status()));
        exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] bytes = json.writeValueAsBytes(Problems.members(body));
        // read and drop the refused request's body first: left unread on a kept-alive connection, its bytes can
        // stall the next request that connection carries (seen as a client timeout right after a 401)
        return exchange.getRequest().getBody().doOnNext(DataBufferUtils::release)
                .then(Mono.defer(() -> exchange.getResponse()
                        .writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(bytes)))));
    }
}
