package dev.genaiplatform.orchestrator.security;

import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.tokenverification.InternalTokenDecoding;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.util.StringUtils;

/**
 * How a gateway token is checked, on HTTP and on Kafka alike: ES256 signature against the gateway's JWK set,
 * {@code iss}, {@code aud}, {@code exp}/{@code nbf}, and a {@code tenant} claim. Keys are fetched from the JWK
 * set URI and refetched when a token names an unknown {@code kid}, so the gateway rotates keys without a
 * restart here.
 */
public final class InternalTokenVerification {

    private InternalTokenVerification() {
    }

    public static OAuth2TokenValidator<Jwt> validator() {
        return new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(InternalToken.ISSUER),
                audience(), tenantPresent());
    }

    public static ReactiveJwtDecoder reactiveDecoder(String jwkSetUri) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(jwkSetUri)
                .jwsAlgorithm(SignatureAlgorithm.ES256)
                .jwtProcessorCustomizer(processor -> processor.setJWSVerifierFactory(InternalTokenDecoding.VERIFIERS))
                .build();
        decoder.setClaimSetConverter(InternalTokenDecoding.claims());
        decoder.setJwtValidator(validator());
        return decoder;
    }

    /**
     * For records of asynchronous work this service accepted earlier (batch lines): signature, {@code iss},
     * {@code aud} and {@code tenant} as always, but not {@code exp}. Such work was authorised when it was accepted
     * (ADR 0004, consequences); the token proves the record was produced for a request the gateway admitted, and
     * the consumer binds it to the stored work (same tenant and key). Acting on it needs a live token.
     */
    public static JwtDecoder acceptedWorkDecoder(String jwkSetUri) {
        NimbusJwtDecoder decoder = InternalTokenDecoding.decoder(jwkSetUri);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtIssuerValidator(InternalToken.ISSUER),
                audience(), tenantPresent()));
        return decoder;
    }

    /** The blocking twin, for Kafka listeners. */
    public static JwtDecoder decoder(String jwkSetUri) {
        NimbusJwtDecoder decoder = InternalTokenDecoding.decoder(jwkSetUri);
        decoder.setJwtValidator(validator());
        return decoder;
    }

    private static OAuth2TokenValidator<Jwt> audience() {
        return jwt -> jwt.getAudience() != null && jwt.getAudience().contains(InternalToken.AUDIENCE)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "wrong audience", null));
    }

    private static OAuth2TokenValidator<Jwt> tenantPresent() {
        return jwt -> StringUtils.hasText(jwt.getClaimAsString(InternalToken.CLAIM_TENANT))
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "no tenant claim", null));
    }
}
