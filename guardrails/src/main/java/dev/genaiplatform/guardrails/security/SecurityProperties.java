package dev.genaiplatform.guardrails.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param jwkSetUri {@code platform.security.jwk-set-uri} (env {@code PLATFORM_JWKS_URI}, default
 *                  {@code http://127.0.0.1:8080/.well-known/jwks.json}): where the gateway publishes the public
 *                  keys that verify internal tokens
 */
@ConfigurationProperties("platform.security")
record SecurityProperties(String jwkSetUri) {
}
