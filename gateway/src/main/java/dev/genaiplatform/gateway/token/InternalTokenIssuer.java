package dev.genaiplatform.gateway.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.nimbusds.jose.jwk.ECKey;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.gateway.tenant.ApiKey;

/**
 * Signs the internal token for one admitted request (claims named in contracts' {@link InternalToken}).
 * The token lives until the request's deadline plus a little skew: worth one request, for minutes at most.
 * A batch grant ({@link #issueBatchGrant}) is the one longer-lived token: scope chat only, for one batch's lines.
 */
public final class InternalTokenIssuer {

    private final SigningKeys keys;

    private final Duration deadline;

    private final Duration expirySkew;

    private final Duration grantLifetime;

    private final Clock clock;

    private volatile CompactJwtSigner signer;

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

    /**
     * @param user the end user the client named ({@code X-User-Id}), or null; groups are not known to the
     *     gateway yet, so {@code groups} is never set
     */
    public String issue(ApiKey key, String requestId, String user) {
        Instant now = clock.instant();
        Instant due = now.plus(deadline);
        return sign(claims(key, requestId, user, now, due, due.plus(expirySkew), scopes(key), null));
    }

    /**
     * The grant a batch's lines run with after the creating request is gone: the request's tenant, key, models and
     * user, scope {@code chat} only, {@code grant=batch}, {@code rid} of the creating request, and {@code deadline} =
     * {@code exp} = the end of the batch's window plus the margin.
     *
     * @throws IllegalArgumentException if the key lacks scope chat (a batch needs it; the route refuses such keys)
     */
    public String issueBatchGrant(ApiKey key, String requestId, String user) {
        if (!key.hasScope(InternalToken.SCOPE_CHAT)) {
            throw new IllegalArgumentException("A batch grant needs a key with scope chat");
        }
        Instant now = clock.instant();
        Instant end = now.plus(grantLifetime);
        return sign(claims(key, requestId, user, now, end, end, InternalToken.SCOPE_CHAT, InternalToken.GRANT_BATCH));
    }

    /** The claims of contracts' {@link InternalToken}, as a service reads them. */
    private static CharSequence claims(ApiKey key, String requestId, String user, Instant now, Instant due,
            Instant expiry, String scope, String grant) {
        CompactJwtSigner.Claims claims = new CompactJwtSigner.Claims()
            .string("iss", InternalToken.ISSUER)
            .string("aud", InternalToken.AUDIENCE)
            .string(InternalToken.CLAIM_KEY_ID, key.id())
            .number("iat", now.getEpochSecond())
            .number("exp", expiry.getEpochSecond())
            .string(InternalToken.CLAIM_TENANT, key.tenant().id())
            .string(InternalToken.CLAIM_SCOPE, scope)
            .strings(InternalToken.CLAIM_MODELS, key.models())
            .string(InternalToken.CLAIM_REQUEST_ID, requestId)
            .number(InternalToken.CLAIM_DEADLINE, due.toEpochMilli());
        if (user != null) {
            claims.string(InternalToken.CLAIM_USER, user);
        }
        if (grant != null) {
            claims.string(InternalToken.CLAIM_GRANT, grant);
        }
        return claims.json();
    }

    /** The key's scopes, sorted and space-separated (OAuth's {@code scope}). */
    private static String scopes(ApiKey key) {
        return String.join(" ", key.scopes().stream().sorted().toList());
    }

    private String sign(CharSequence claims) {
        return signer(keys.signingKey()).sign(claims);
    }

    /** One signer per key, built when the key changes (it encodes the header and opens the key: not per request). */
    private CompactJwtSigner signer(ECKey key) {
        CompactJwtSigner cached = signer;
        if (cached == null || cached.key() != key) {
            cached = new CompactJwtSigner(key);
            signer = cached;
        }
        return cached;
    }
}
