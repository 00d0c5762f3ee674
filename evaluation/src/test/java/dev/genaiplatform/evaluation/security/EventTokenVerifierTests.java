package dev.genaiplatform.evaluation.security;

import dev.genaiplatform.evaluation.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtException;

import java.net.URI;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A record's token is judged against the time it was produced; and an outage of the key source is told apart
 * from a bad token, because the listener retries the first and dead-letters the second.
 */
class EventTokenVerifierTests {

    private final EventTokenVerifier verifier = new EventTokenVerifier(new SecurityProperties(URI.create(TestTokens.jwkSetUri())));

    @Test
    void acceptsATokenThatWasValidWhenTheRecordWasProduced() {
        String token = TestTokens.builder("acme", "chat").expiredAt(Instant.now().minusSeconds(3600)).sign();
        assertThat(verifier.verify(token, Instant.now().minusSeconds(3700)).getClaimAsString("tenant")).isEqualTo("acme");
        assertThatThrownBy(() -> verifier.verify(token, Instant.now())).isInstanceOf(BadJwtException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void aForeignSignatureOrAudienceIsABadToken() {
        assertThatThrownBy(() -> verifier.verify(TestTokens.builder("acme", "chat").signedByAStranger().sign(), Instant.now()))
                .isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> verifier.verify(TestTokens.builder("acme", "chat").audience("elsewhere").sign(), Instant.now()))
                .isInstanceOf(BadJwtException.class);
    }

    @Test
    void anUnreachableKeySourceIsNotABadToken() {
        EventTokenVerifier cut = new EventTokenVerifier(new SecurityProperties(URI.create("http://127.0.0.1:9/jwks.json")));
        assertThatThrownBy(() -> cut.verify(TestTokens.token("acme", "chat"), Instant.now()))
                .isInstanceOf(JwtException.class).isNotInstanceOf(BadJwtException.class);
    }
}
