package dev.genaiplatform.evaluation.security;

import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.tokenverification.InternalTokenDecoding;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.util.StringUtils;

import java.util.List;

/**
 * The gateway's internal token (ADR 0004, {@link InternalToken}) as this service reads it: one decoder for HTTP
 * and Kafka, and the claims the service acts on. The tenant always comes from a verified token.
 */
public final class InternalTokens {

    private InternalTokens() {
    }

    /** ES256 signature against the gateway's JWK set, then issuer, audience, expiry and a tenant claim. */
    public static JwtDecoder decoder(SecurityProperties properties) {
        NimbusJwtDecoder decoder = InternalTokenDecoding.decoder(properties.jwkSetUri().toString());
        decoder.setJwtValidator(validator());
        return decoder;
    }

    /**
     * For events read from Kafka: the same checks except expiry, which {@link EventTokenVerifier} judges against
     * the record's timestamp instead of the clock. A token lives minutes; an event may wait hours in the topic
     * while this service is down, and must still count when it comes back.
     */
    static JwtDecoder decoderIgnoringExpiry(SecurityProperties properties) {
        NimbusJwtDecoder decoder = InternalTokenDecoding.decoder(properties.jwkSetUri().toString());
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtIssuerValidator(InternalToken.ISSUER),
                audience(), tenantPresent()));
        return decoder;
    }

    static OAuth2TokenValidator<Jwt> validator() {
        return new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(InternalToken.ISSUER), audience(), tenantPresent());
    }

    private static OAuth2TokenValidator<Jwt> audience() {
        return jwt -> audienceOk(jwt.getAudience()) ? OAuth2TokenValidatorResult.success()
                : failure("the token is not meant for platform services (aud)");
    }

    private static OAuth2TokenValidator<Jwt> tenantPresent() {
        return jwt -> StringUtils.hasText(jwt.getClaimAsString(InternalToken.CLAIM_TENANT))
                ? OAuth2TokenValidatorResult.success() : failure("the token names no tenant");
    }

    /** The verified token's tenant. */
    public static String tenant(Jwt jwt) {
        return jwt.getClaimAsString(InternalToken.CLAIM_TENANT);
    }

    /** The end user the client named, else the API key id: one caller, one feedback per completion. */
    public static String caller(Jwt jwt) {
        String user = jwt.getClaimAsString(InternalToken.CLAIM_USER);
        return StringUtils.hasText(user) ? user : "key:" + jwt.getSubject();
    }

    private static boolean audienceOk(List<String> audience) {
        return audience != null && audience.contains(InternalToken.AUDIENCE);
    }

    private static OAuth2TokenValidatorResult failure(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", description, null));
    }
}
