package dev.genaiplatform.tools.support;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.genaiplatform.contracts.security.InternalToken;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** Signs internal tokens the way the gateway does (ES256), with the test's key or a stranger's. */
public final class TestTokens {

    public static final ECKey GATEWAY_KEY = generate();
    public static final ECKey STRANGER_KEY = generate();

    private TestTokens() {
    }

    /** A valid token for tenant and user, scope {@code agent}, its own fresh request id. */
    public static String token(String tenant, String user) {
        return builder(tenant, user).sign();
    }

    public static Builder builder(String tenant, String user) {
        return new Builder(tenant, user);
    }

    public static final class Builder {
        private final String tenant;
        private final String user;
        private String scope = "agent documents";
        private String audience = InternalToken.AUDIENCE;
        private String requestId = "rid-" + UUID.randomUUID();
        private Instant expiresAt = Instant.now().plus(Duration.ofMinutes(5));
        private ECKey key = GATEWAY_KEY;
        private boolean withTenant = true;

        Builder(String tenant, String user) {
            this.tenant = tenant;
            this.user = user;
        }

        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder withoutTenant() {
            this.withTenant = false;
            return this;
        }

        public Builder signedBy(ECKey key) {
            this.key = key;
            return this;
        }

        public String sign() {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                    .issuer(InternalToken.ISSUER).audience(audience).subject("key-" + tenant)
                    .issueTime(new Date()).expirationTime(Date.from(expiresAt))
                    .claim(InternalToken.CLAIM_TENANT, withTenant ? tenant : null).claim(InternalToken.CLAIM_SCOPE, scope)
                    .claim(InternalToken.CLAIM_REQUEST_ID, requestId);
            if (user != null) {
                claims.claim(InternalToken.CLAIM_USER, user);
            }
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT).build(), claims.build());
                jwt.sign(new ECDSASigner(key));
                return jwt.serialize();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
