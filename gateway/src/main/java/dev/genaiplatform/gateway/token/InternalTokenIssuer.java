package dev.genaiplatform.gateway.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.gateway.tenant.ApiKey;

/**
 * Signs the internal token for one admitted request (claims named in contracts' {@link InternalToken}).
 * The token lives until the request's deadline plus a little skew: worth one request, for minutes at most.
 * A batch grant ({@link #issueBatchGrant}) is the one longer-lived token: scope chat only, for one batch's lines.
 */
public final class InternalTokenIssuer {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /** Shared: SecureRandom is thread-safe, and making one per token cost more than the signature's hash. */
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final ThreadLocal<ThreadSignature> SIGNATURES = ThreadLocal.withInitial(ThreadSignature::new);

    private final SigningKeys keys;

    private final Duration deadline;

    private final Duration expirySkew;

    private final Duration grantLifetime;

    private final Clock clock;

    private volatile CachedSigner signer;

    /**
     * @param deadline how long a request may take: the gateway's response timeout
     * @param expirySkew how long past the deadline the token still verifies
     * @param grantLifetime how long a batch grant lives: the batch's completion window plus a margin
     */
    public InternalTokenIssuer(SigningKeys keys, Duration deadline, Duration expirySkew, Duration grantLifetime,
            Clock clock) {
        this.keys = keys;
        this.deadline = deadline;
        this.expirySkew = expirySkew;
        this.grantLifetime = grantLifetime;
        this.clock = clock;
    }

    /** A token without groups: {@link #issue(ApiKey, String, String, List)} with none. */
    public String issue(ApiKey key, String requestId, String user) {
        return issue(key, requestId, user, List.of());
    }

    /**
     * @param user the end user the client named ({@code X-User-Id}), or null
     * @param groups that user's access groups in the key's tenant (the admin API's user directory); empty: no
     *     {@code groups} claim, so retrieval shows only documents without access groups
     */
    public String issue(ApiKey key, String requestId, String user, List<String> groups) {
        Instant now = clock.instant();
        Instant due = now.plus(deadline);
        return sign(claims(key, requestId, user, groups, now, due, due.plus(expirySkew))
            .claim(InternalToken.CLAIM_SCOPE, String.join(" ", key.scopes().stream().sorted().toList())));
    }

    /**
     * The grant a batch's lines run with after the creating request is gone: the request's tenant, key, models and
     * user, scope {@code chat} only, {@code grant=batch}, {@code rid} of the creating request, and {@code deadline} =
     * {@code exp} = the end of the batch's window plus the margin.
     *
     * @throws IllegalArgumentException if the key lacks scope chat (a batch needs it; the route refuses such keys)
     */
    public String issueBatchGrant(ApiKey key, String requestId, String user) {
        return issueBatchGrant(key, requestId, user, List.of());
    }

    /** As {@link #issueBatchGrant(ApiKey, String, String)}, carrying the user's groups as the request's token does. */
    public String issueBatchGrant(ApiKey key, String requestId, String user, List<String> groups) {
        if (!key.hasScope(InternalToken.SCOPE_CHAT)) {
            throw new IllegalArgumentException("A batch grant needs a key with scope chat");
        }
        Instant now = clock.instant();
        Instant end = now.plus(grantLifetime);
        return sign(claims(key, requestId, user, groups, now, end, end)
            .claim(InternalToken.CLAIM_SCOPE, InternalToken.SCOPE_CHAT)
            .claim(InternalToken.CLAIM_GRANT, InternalToken.GRANT_BATCH));
    }

    /**
     * The token an administrative event travels with ({@code gateway.api-key-revoked.v1}): proof for the services
     * that act on it (the orchestrator stops a revoked key's batches) that the gateway published it. Tenant = the
     * tenant the event concerns, {@code sub} = the admin key that acted (or {@code gateway} for the gateway itself),
     * scope {@code admin}, {@code rid} = the event id, valid for one request token's life.
     */
    public String issueForEvent(String tenant, String actorKeyId, String eventId) {
        Instant now = clock.instant();
        Instant due = now.plus(deadline);
        return sign(new JWTClaimsSet.Builder()
            .issuer(InternalToken.ISSUER)
            .audience(InternalToken.AUDIENCE)
            .subject(actorKeyId == null ? "gateway" : actorKeyId)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(due.plus(expirySkew)))
            .claim(InternalToken.CLAIM_TENANT, tenant)
            .claim(InternalToken.CLAIM_SCOPE, InternalToken.SCOPE_ADMIN)
            .claim(InternalToken.CLAIM_REQUEST_ID, eventId)
            .claim(InternalToken.CLAIM_DEADLINE, due.toEpochMilli()));
    }

    private static JWTClaimsSet.Builder claims(ApiKey key, String requestId, String user, List<String> groups,
            Instant now, Instant due, Instant expiry) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
            .issuer(InternalToken.ISSUER)
            .audience(InternalToken.AUDIENCE)
            .subject(key.id())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(expiry))
            .claim(InternalToken.CLAIM_TENANT, key.tenant().id())
            .claim(InternalToken.CLAIM_MODELS, key.models())
            .claim(InternalToken.CLAIM_REQUEST_ID, requestId)
            .claim(InternalToken.CLAIM_DEADLINE, due.toEpochMilli());
        if (user != null) {
            claims.claim(InternalToken.CLAIM_USER, user);
            if (!groups.isEmpty()) {
                claims.claim(InternalToken.CLAIM_GROUPS, groups);
            }
        }
        return claims;
    }

    private String sign(JWTClaimsSet.Builder claims) {
        CachedSigner current = signer(keys.signingKey());
        // JWS compact serialisation (RFC 7515 §7.1): header.payload.signature, each base64url without padding; the
        // claims' JSON is Nimbus's, as before, and ES256's signature is r || s, which the JDK's P1363 format gives as is.
        String signingInput = current.encodedHeader() + "."
                + BASE64URL.encodeToString(claims.build().toString().getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + BASE64URL.encodeToString(current.sign(signingInput));
    }

    /**
     * One header, one parsed private key per signing key, built when the key changes; one {@link Signature} per
     * thread, initialised again only when the key changes. Per token, Nimbus's signer looked the algorithm up, made
     * a new {@link SecureRandom}, initialised a new Signature and transcoded DER to r || s: about 40 % of a token's
     * CPU in the profile (README, Benchmark, "Wave 7"). The signature itself (ES256, a fresh random k per token) is
     * the same.
     */
    private CachedSigner signer(ECKey key) {
        CachedSigner cached = signer;
        if (cached == null || cached.key() != key) {
            try {
                JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                    .keyID(key.getKeyID()).build();
                cached = new CachedSigner(key, key.toECPrivateKey(), header.toBase64URL().toString());
            }
            catch (JOSEException e) {
                throw new IllegalStateException("Not a signing key: " + key.getKeyID(), e);
            }
            signer = cached;
        }
        return cached;
    }

    private record CachedSigner(ECKey key, ECPrivateKey privateKey, String encodedHeader) {

        byte[] sign(String signingInput) {
            ThreadSignature mine = SIGNATURES.get();
            try {
                if (mine.key != privateKey) {
                    mine.signature.initSign(privateKey, RANDOM);
                    mine.key = privateKey;
                }
                mine.signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
                return mine.signature.sign();
            }
            catch (GeneralSecurityException e) {
                mine.key = null; // initialise again next time
                throw new IllegalStateException("Could not sign the internal token", e);
            }
        }
    }

    /** A thread's ES256 signature object and the key it was initialised with (sign() leaves it ready for the next). */
    private static final class ThreadSignature {

        private final Signature signature;

        private PrivateKey key;

        ThreadSignature() {
            try {
                signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            }
            catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("This JDK cannot sign ES256", e);
            }
        }
    }
}
