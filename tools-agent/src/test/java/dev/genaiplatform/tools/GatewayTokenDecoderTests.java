package dev.genaiplatform.tools;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import dev.genaiplatform.tools.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The decoder the service really runs with (the integration tests swap in one built from the test key), fed by
 * a JWK set served over HTTP as the gateway serves it. It must accept the gateway's ES256 tokens: Nimbus' default
 * for a JWK-set decoder is RS256 only, which once made every call the gateway forwarded here a 401.
 */
class GatewayTokenDecoderTests {

    private static HttpServer jwks;
    private static JwtDecoder decoder;

    @BeforeAll
    static void serveTheGatewaysPublicKeys() throws Exception {
        byte[] body = new JWKSet(TestTokens.GATEWAY_KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/.well-known/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        String uri = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json";
        decoder = new ToolsAgentConfiguration().jwtDecoder(new SecurityProperties(uri));
    }

    @AfterAll
    static void stop() {
        jwks.stop(0);
    }

    @Test
    void acceptsAnEs256TokenSignedByTheGatewaysKey() {
        assertThat(decoder.decode(TestTokens.token("acme", "ada")).getClaimAsString("tenant")).isEqualTo("acme");
    }

    @Test
    void refusesATokenSignedByAnotherKey() {
        String forged = TestTokens.builder("acme", "ada").signedBy(TestTokens.STRANGER_KEY).sign();
        assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(JwtException.class);
    }

    @Test
    void refusesATokenForAnotherAudience() {
        String elsewhere = TestTokens.builder("acme", "ada").audience("someone-else").sign();
        assertThatThrownBy(() -> decoder.decode(elsewhere)).isInstanceOf(JwtException.class);
    }
}
