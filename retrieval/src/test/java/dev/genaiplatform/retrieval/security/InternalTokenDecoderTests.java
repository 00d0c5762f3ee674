package dev.genaiplatform.retrieval.security;

import dev.genaiplatform.retrieval.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service's decoder, with the shared cheaper ES256 check and the issuer kept a string, still refuses what it must. */
class InternalTokenDecoderTests {

    @Test
    void theServiceDecoderAcceptsTheGatewaysTokenAndRefusesForgeries() {
        JwtDecoder decoder = new SecurityConfiguration().internalTokenDecoder(new PlatformSecurityProperties(TestTokens.jwkSetUri()));

        Jwt jwt = decoder.decode(TestTokens.token("tenant-a", "finance"));

        assertThat(jwt.getClaimAsString("tenant")).isEqualTo("tenant-a");
        assertThat(jwt.getClaimAsString("iss")).isEqualTo("genai-platform-gateway");
        assertThat(jwt.getClaimAsStringList("groups")).containsExactly("finance");
        assertThatThrownBy(() -> decoder.decode(TestTokens.builder("tenant-a").signedByAnotherKey().sign()))
                .isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder.decode(TestTokens.builder("tenant-a").audience("somebody-else").sign()))
                .isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder.decode(TestTokens.builder("tenant-a").issuer("https://elsewhere.example").sign()))
                .isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder.decode(TestTokens.builder("tenant-a")
                .expiresAt(Instant.now().minusSeconds(600)).sign())).isInstanceOf(JwtException.class);
    }
}
