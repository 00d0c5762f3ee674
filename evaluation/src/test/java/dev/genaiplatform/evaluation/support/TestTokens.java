package dev.genaiplatform.evaluation.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.genaiplatform.contracts.security.InternalToken;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Plays the gateway's part in tests: an EC key pair, its public half served as a JWK set over real HTTP (as
 * the gateway serves {@code /.well-known/jwks.json}), and tokens signed with it, or deliberately wrong ones.
 */
public final class TestTokens {

    private static final ECKey GATEWAY_KEY = generate("gateway-test");
    private static final ECKey STRANGER_KEY = generate("gateway-test");
    private static HttpServer jwks;

    private TestTokens() {
    }

    public static void register(DynamicPropertyRegistry registry) {
        registry.add("platform.security.jwk-set-uri", TestTokens::jwkSetUri);
    }

    public static synchronized String jwkSetUri() {
        if (jwks == null) {
            try {
                jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] body = new JWKSet(GATEWAY_KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            jwks.createContext(InternalToken.JWKS_PATH, exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            jwks.start();
        }
        return "http://127.0.0.1:" + jwks.getAddress().getPort() + InternalToken.JWKS_PATH;
    }

    /** A valid token for the tenant with the scopes, living five minutes. */
    public static String token(String tenant, String... scopes) {
        return builder(tenant, scopes).sign();
    }

    public static Builder builder(String tenant, String... scopes) {
        return new Builder(GATEWAY_KEY, new JWTClaimsSet.Builder()
                .issuer(InternalToken.ISSUER)
                .audience(InternalToken.AUDIENCE)
                .subject("key-" + tenant)
                .claim(InternalToken.CLAIM_TENANT, tenant)
                .claim(InternalToken.CLAIM_SCOPE, String.join(" ", scopes))
                .claim(InternalToken.CLAIM_MODELS, List.of("sim-small", "sim-large"))
                .claim(InternalToken.CLAIM_REQUEST_ID, UUID.randomUUID().toString())
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5)))));
    }

    /** Builds a token claim by claim, to make valid and invalid ones. */
    public static final class Builder {
        private ECKey key;
        private final JWTClaimsSet.Builder claims;

        private Builder(ECKey key, JWTClaimsSet.Builder claims) {
            this.key = key;
            this.claims = claims;
        }

        public Builder user(String user) {
            claims.claim(InternalToken.CLAIM_USER, user);
            return this;
        }

        public Builder audience(String audience) {
            claims.audience(audience);
            return this;
        }

        public Builder expiredAt(Instant when) {
            claims.issueTime(Date.from(when.minus(Duration.ofMinutes(5)))).expirationTime(Date.from(when));
            return this;
        }

        public Builder signedByAStranger() {
            this.key = STRANGER_KEY;
            return this;
        }

        public String sign() {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                        claims.build());
                jwt.sign(new ECDSASigner(key));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static ECKey generate(String keyId) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
