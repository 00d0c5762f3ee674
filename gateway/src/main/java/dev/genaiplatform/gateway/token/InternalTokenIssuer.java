package dev.genaiplatform.gateway.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.gateway.tenant.ApiKey;

/**
 * Signs the internal token for one admitted request (claims named in contracts' {@link InternalToken}).
 * The token lives until the request's deadline plus a little skew: worth one request, for minutes at most.
 */
public final class InternalTokenIssuer {

    private final SigningKeys keys;

    private final Duration deadline;

    private final Duration expirySkew;

    private final Clock clock;

    private volatile CachedSigner signer;

    /**
     * @param deadline how long a request may take: the gateway's response timeout
     * @param expirySkew how long past the deadline the token still verifies
     */
    public InternalTokenIssuer(SigningKeys keys, Duration deadline, Duration expirySkew, Clock clock) {
        this.keys = keys;
        this.deadline = deadline;
        this.expirySkew = expirySkew;
        this.clock = clock;
    }

    /**
     * @param user the end user the client named ({@code X-User-Id}), or null; groups are not known to the
     *     gateway yet, so {@code groups} is never set
     */
    public String issue(ApiKey key, String requestId, String user) {
        Instant now = clock.instant();
        Instant due = now.plus(deadline);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
            .issuer(InternalToken.ISSUER)
            .audience(InternalToken.AUDIENCE)
            .subject(key.id())
            .issueTime(java.util.Date.from(now))
            .expirationTime(java.util.Date.from(due.plus(expirySkew)))
            .claim(InternalToken.CLAIM_TENANT, key.tenant().id())
            .claim(InternalToken.CLAIM_SCOPE, String.join(" ", key.scopes().stream().sorted().toList()))
            .claim(InternalToken.CLAIM_MODELS, key.models())
            .claim(InternalToken.CLAIM_REQUEST_ID, requestId)
            .claim(InternalToken.CLAIM_DEADLINE, due.toEpochMilli());
        if (user != null) {
            claims.claim(InternalToken.CLAIM_USER, user);
        }
        CachedSigner current = signer(keys.signingKey());
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
            .keyID(current.key().getKeyID()).build(), claims.build());
        try {
            jwt.sign(current.signer());
        }
        catch (JOSEException e) {
            throw new IllegalStateException("Could not sign the internal token", e);
        }
        return jwt.serialize();
    }

    /** One signer per key, built when the key changes (building it parses the key: not per request). */
    private CachedSigner signer(ECKey key) {
        CachedSigner cached = signer;
        if (cached == null || cached.key() != key) {
            try {
                cached = new CachedSigner(key, new ECDSASigner(key));
            }
            catch (JOSEException e) {
                throw new IllegalStateException("Not a signing key: " + key.getKeyID(), e);
            }
            signer = cached;
        }
        return cached;
    }

    private record CachedSigner(ECKey key, ECDSASigner signer) {
    }
}
