package dev.genaiplatform.retrieval.support;

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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The gateway's side of ADR 0004, for tests: an ES256 key whose public half is served as a JWK set on loopback
 * (the app under test fetches it like the real one), and tokens signed with it. One per test JVM.
 */
public final class TestTokens {

    private static final ECKey KEY = generate("test-gateway-key");
    private static final ECKey OTHER_KEY = generate("test-gateway-key"); // same kid, different key: a forgery
    private static final HttpServer JWKS = serve();

    private TestTokens() {
    }

    /** The URI to set as {@code platform.security.jwk-set-uri}. */
    public static String jwkSetUri() {
        return "http://127.0.0.1:" + JWKS.getAddress().getPort() + InternalToken.JWKS_PATH;
    }

    /** A valid token for the tenant with scope {@code documents} and the given groups. */
    public static String token(String tenant, String... groups) {
        return builder(tenant).groups(groups).sign();
    }

    public static Builder builder(String tenant) {
        return new Builder(tenant);
    }

    /** A token with every claim settable, to build the bad ones. */
    public static final class Builder {
        private String tenant;
        private String scope = "documents chat";
        private List<String> groups = List.of();
        private String audience = InternalToken.AUDIENCE;
        private String issuer = InternalToken.ISSUER;
        private Instant expiresAt = Instant.now().plus(Duration.ofMinutes(5));
        private boolean foreignKey;
        private String user = "user-1";

        private Builder(String tenant) {
            this.tenant = tenant;
        }

        public Builder groups(String... groups) {
            this.groups = List.of(groups);
            return this;
        }

        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder signedByAnotherKey() {
            this.foreignKey = true;
            return this;
        }

        public Builder tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        public String sign() {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                    .issuer(issuer).audience(audience).subject("key-" + tenant).jwtID(UUID.randomUUID().toString())
                    .issueTime(Date.from(Instant.now().minusSeconds(5))).expirationTime(Date.from(expiresAt))
                    .claim(InternalToken.CLAIM_SCOPE, scope).claim(InternalToken.CLAIM_USER, user)
                    .claim(InternalToken.CLAIM_GROUPS, groups).claim(InternalToken.CLAIM_REQUEST_ID, "req-" + UUID.randomUUID());
            if (tenant != null) {
                claims.claim(InternalToken.CLAIM_TENANT, tenant);
            }
            ECKey key = foreignKey ? OTHER_KEY : KEY;
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims.build());
                jwt.sign(new ECDSASigner(key));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static ECKey generate(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer serve() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = new JWKSet(KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext(InternalToken.JWKS_PATH, exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.setExecutor(null);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
