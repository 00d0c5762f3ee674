package dev.genaiplatform.evaluation.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;

/**
 * How this service checks the gateway's internal tokens, under {@code platform.security}.
 *
 * @param jwkSetUri where the gateway publishes the public keys that verify its tokens
 *                  ({@code platform.security.jwk-set-uri}, env {@code PLATFORM_JWKS_URI}, default
 *                  {@code http://127.0.0.1:8080/.well-known/jwks.json}). Fetched on first use and again when a
 *                  token names an unknown key id, so gateway key rotation needs no restart here.
 */
@ConfigurationProperties("platform.security")
public record SecurityProperties(URI jwkSetUri) {

    public SecurityProperties {
        if (jwkSetUri == null) {
            throw new IllegalArgumentException("platform.security.jwk-set-uri must be set");
        }
    }
}
