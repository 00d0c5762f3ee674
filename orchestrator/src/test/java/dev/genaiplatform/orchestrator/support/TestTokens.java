package dev.genaiplatform.orchestrator.support;

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
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Plays the gateway's token issuer in tests: an EC key pair, its public half served as a JWK set on loopback
 * (what {@code platform.security.jwk-set-uri} points at), and tokens signed with it, good or deliberately bad.
 */
public final class TestTokens {

    private static final ECKey KEY = generate("gateway-test");
    private static final ECKey STRANGER = generate("someone-else");
    private static String jwksUri;

    private TestTokens() {
    }

    /** The JWK set URI of the test issuer, started once per JVM. */
    public static synchronized String jwksUri() {
        if (jwksUri == null) {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                byte[] body = new JWKSet(KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
                server.createContext(InternalToken.JWKS_PATH, exchange -> {
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    // one connection per fetch: this server drops keep-alive connections idle for 30 s, and a
                    // decoder refetching the set later (a token with an unknown key) must not pick such a dead one
                    // from its pool and wait on it
                    exchange.getResponseHeaders().add("Connection", "close");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
                server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
                server.start();
                jwksUri = "http://127.0.0.1:" + server.getAddress().getPort() + InternalToken.JWKS_PATH;
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return jwksUri;
    }

    /** A valid chat token for a tenant that may use sim-small, sim-large and auto. */
    public static String chat(String tenant) {
        return builder(tenant).sign();
    }

    public static Builder builder(String tenant) {
        return new Builder(tenant);
    }

    public static final class Builder {

        private final String tenant;
        private String scope = "chat";
        private List<String> models = List.of("sim-small", "sim-large", "auto");
        private String audience = InternalToken.AUDIENCE;
        private Instant expires = Instant.now().plusSeconds(300);
        private Instant deadline = Instant.now().plusSeconds(120);
        private ECKey key = KEY;
        private List<String> groups = List.of();
        private String user;
        private String grant;

        Builder(String tenant) {
            this.tenant = tenant;
        }

        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        public Builder models(String... models) {
            this.models = List.of(models);
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        /** A token that is still valid but expires at this instant (e.g. too soon to act with). */
        public Builder expiresAt(Instant expires) {
            this.expires = expires;
            return this;
        }

        public Builder expired() {
            this.expires = Instant.now().minusSeconds(600);
            return this;
        }

        public Builder deadline(Instant deadline) {
            this.deadline = deadline;
            return this;
        }

        public Builder signedByAStranger() {
            this.key = STRANGER;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** A grant (claim {@code grant}), as the gateway mints for {@code POST /v1/batches}. */
        public Builder grant(String grant) {
            this.grant = grant;
            return this;
        }

        public Builder groups(String... groups) {
            this.groups = List.of(groups);
            return this;
        }

        public String sign() {
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(InternalToken.ISSUER)
                    .audience(this.audience)
                    .subject("key-" + this.tenant)
                    .issueTime(new Date())
                    .expirationTime(Date.from(this.expires))
                    .claim(InternalToken.CLAIM_TENANT, this.tenant)
                    .claim(InternalToken.CLAIM_SCOPE, this.scope)
                    .claim(InternalToken.CLAIM_MODELS, this.models)
                    .claim(InternalToken.CLAIM_REQUEST_ID, "gw-" + UUID.randomUUID())
                    .claim(InternalToken.CLAIM_GROUPS, this.groups)
                    .claim(InternalToken.CLAIM_DEADLINE, this.deadline.toEpochMilli())
                    .claim(InternalToken.CLAIM_USER, this.user)
                    .claim(InternalToken.CLAIM_GRANT, this.grant)
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(this.key.getKeyID()).build(),
                    claims);
            try {
                jwt.sign(new ECDSASigner(this.key));
            }
            catch (JOSEException ex) {
                throw new IllegalStateException(ex);
            }
            return jwt.serialize();
        }
    }

    private static ECKey generate(String keyId) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(keyId).generate();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
