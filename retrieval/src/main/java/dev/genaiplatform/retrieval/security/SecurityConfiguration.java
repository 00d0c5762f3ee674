package dev.genaiplatform.retrieval.security;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.retrieval.api.ProblemBodies;
import dev.genaiplatform.tokenverification.CachingJwtDecoder;
import dev.genaiplatform.tokenverification.InternalTokenDecoding;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;

/**
 * ADR 0004 for this service: every request needs the gateway's internal token (ES256, issuer and audience
 * checked) with scope {@code documents} ({@code chat} also opens a citation's source, ADR 0005); the Kafka listeners verify the same token with the same
 * {@link JwtDecoder}, which verifies each distinct token once ({@link CachingJwtDecoder}). 401 and 403 answers are platform problems. Actuator lives on the management port.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final String DOCUMENTS_AUTHORITY = "SCOPE_" + InternalToken.SCOPE_DOCUMENTS;
    private static final String CHAT_AUTHORITY = "SCOPE_" + InternalToken.SCOPE_CHAT;
    /** Opening a citation (ADR 0005): the chat UI does it with a chat key, a documents client with its own. */
    private static final String SOURCES = "/api/retrieval/sources/**";

    @Bean
    JwtDecoder internalTokenDecoder(PlatformSecurityProperties properties) {
        // the signature check at a quarter of the JDK's CPU: the gateway's point precomputed once (Es256Verifiers)
        NimbusJwtDecoder decoder = InternalTokenDecoding.decoder(properties.jwkSetUri());
        decoder.setJwtValidator(internalTokenValidator());
        return new CachingJwtDecoder(decoder); // each request's token is verified once, not on every record and call
    }

    /** Expiry and not-before (with Spring's default skew), issuer, audience, and a tenant to act for. */
    public static OAuth2TokenValidator<Jwt> internalTokenValidator() {
        OAuth2TokenValidator<Jwt> audience = jwt -> jwt.getAudience() != null && jwt.getAudience().contains(InternalToken.AUDIENCE)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "wrong audience", null));
        OAuth2TokenValidator<Jwt> tenant = jwt -> jwt.getClaimAsString(InternalToken.CLAIM_TENANT) instanceof String t && !t.isBlank()
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "no tenant claim", null));
        return new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(InternalToken.ISSUER), audience, tenant);
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, JsonMapper json) {
        ProblemWriter problems = new ProblemWriter(json);
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/**", "/error").permitAll()
                        .requestMatchers(HttpMethod.GET, SOURCES).hasAnyAuthority(DOCUMENTS_AUTHORITY, CHAT_AUTHORITY)
                        .requestMatchers("/v1/**", "/api/retrieval/**").hasAuthority(DOCUMENTS_AUTHORITY)
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults())
                        .authenticationEntryPoint((request, response, e) -> problems.write(request, response,
                                ProblemType.INVALID_INTERNAL_TOKEN, "A valid internal token (Authorization: Bearer) is required"))
                        .accessDeniedHandler((request, response, e) -> problems.write(request, response,
                                ProblemType.INSUFFICIENT_SCOPE, neededScope(request))))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint((request, response, e) -> problems.write(request, response,
                                ProblemType.INVALID_INTERNAL_TOKEN, "A valid internal token (Authorization: Bearer) is required"))
                        .accessDeniedHandler((request, response, e) -> problems.write(request, response,
                                ProblemType.INSUFFICIENT_SCOPE, neededScope(request))));
        return http.build();
    }

    private static String neededScope(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/api/retrieval/sources/")
                ? "This API needs the scope '" + InternalToken.SCOPE_DOCUMENTS + "' or '" + InternalToken.SCOPE_CHAT + "'"
                : "This API needs the scope '" + InternalToken.SCOPE_DOCUMENTS + "'";
    }

    private record ProblemWriter(JsonMapper json) {
        void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail) throws IOException {
            response.setStatus(type.status());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            json.writeValue(response.getOutputStream(), ProblemBodies.of(type, detail, null, request.getRequestURI()));
        }
    }
}
