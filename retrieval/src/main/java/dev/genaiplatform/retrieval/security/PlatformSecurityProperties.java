package dev.genaiplatform.retrieval.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param jwkSetUri where the gateway publishes the public keys of its internal tokens (env PLATFORM_JWKS_URI).
 *                  Fetched on the first token and again when a token names an unknown key id (rotation).
 */
@ConfigurationProperties("platform.security")
public record PlatformSecurityProperties(
        @DefaultValue("http://127.0.0.1:8080/.well-known/jwks.json") String jwkSetUri) {
}
