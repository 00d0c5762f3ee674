package dev.genaiplatform.guardrails.security;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.guardrails.api.Problems;
import dev.genaiplatform.tokenverification.CachingJwtDecoder;
import dev.genaiplatform.tokenverification.InternalTokenDecoding;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.List;

/**
 * ADR 0004: every endpoint but actuator (on its own loopback port) needs the gateway's signed internal token;
 * the check API needs the {@code evaluation} scope. 401 and 403 leave as problem documents.
 */
@Configuration(proxyBeanMethods = false)
public class InternalTokenSecurity {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Verifies ES256 signatures against the gateway's JWK set (fetched on first use and again on an unknown
     * key id), and {@code iss}, {@code aud}, {@code exp}. The same decoder verifies the Kafka header. Each
     * distinct token is verified once per process ({@link CachingJwtDecoder}).
     */
    @Bean
    JwtDecoder internalTokenDecoder(SecurityProperties properties) {
        NimbusJwtDecoder decoder = InternalTokenDecoding.decoder(properties.jwkSetUri());
        decoder.setJwtValidator(validator());
        return new CachingJwtDecoder(decoder);
    }

    /** What a valid internal token must say beside a good signature; public so tests build the same decoder. */
    public static DelegatingOAuth2TokenValidator<org.springframework.security.oauth2.jwt.Jwt> validator() {
        return new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(InternalToken.ISSUER),
                new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                        audience -> audience != null && audience.contains(InternalToken.AUDIENCE)),
                new JwtClaimValidator<String>(InternalToken.CLAIM_TENANT, tenant -> tenant != null && !tenant.isBlank()));
    }

    @Bean
    SecurityFilterChain internalTokenFilterChain(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/**").permitAll()
                        // erasing a conversation's pseudonyms is a chat action (the orchestrator, for the user)
                        .requestMatchers(HttpMethod.DELETE, "/api/guardrails/conversations/*/pseudonyms")
                        .hasAnyAuthority("SCOPE_" + InternalToken.SCOPE_CHAT, "SCOPE_" + InternalToken.SCOPE_EVALUATION)
                        .requestMatchers("/api/guardrails/**").hasAuthority("SCOPE_" + InternalToken.SCOPE_EVALUATION)
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server.jwt(jwt -> { })
                        .authenticationEntryPoint((request, response, failure) -> write(response, request,
                                ProblemType.INVALID_INTERNAL_TOKEN,
                                "A valid internal token from the gateway is required (Authorization: Bearer)."))
                        .accessDeniedHandler((request, response, denied) -> write(response, request,
                                ProblemType.INSUFFICIENT_SCOPE, "This API needs the 'evaluation' scope.")))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((request, response, failure) -> write(response, request,
                                ProblemType.INVALID_INTERNAL_TOKEN,
                                "A valid internal token from the gateway is required (Authorization: Bearer)."))
                        .accessDeniedHandler((request, response, denied) -> write(response, request,
                                ProblemType.INSUFFICIENT_SCOPE, "This API needs the 'evaluation' scope.")))
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    private static void write(HttpServletResponse response, HttpServletRequest request, ProblemType type,
                              String detail) throws IOException {
        response.setStatus(type.status());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), Problems.asMap(type, detail, null, request.getRequestURI()));
    }
}
