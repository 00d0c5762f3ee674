package dev.genaiplatform.tools;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param jwkSetUri {@code platform.security.jwk-set-uri} (env {@code PLATFORM_JWKS_URI}): the gateway's JWK set, whose
 *                  public keys verify internal tokens. Default {@code http://127.0.0.1:8080/.well-known/jwks.json}
 */
@ConfigurationProperties("platform.security")
record SecurityProperties(@DefaultValue("http://127.0.0.1:8080/.well-known/jwks.json") String jwkSetUri) {
}
