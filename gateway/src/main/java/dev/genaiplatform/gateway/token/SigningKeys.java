package dev.genaiplatform.gateway.token;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's token-signing keys as the request path and the JWK set endpoint see them: the key to sign with
 * now, and the public halves of the previous, current and next keys, plus retired keys that signed while a batch
 * grant they may have signed can still be alive. Two implementations: {@link SigningKeyRing}
 * (one instance, in memory) and {@link SharedSigningKeyRing} (every instance on one database).
 */
public interface SigningKeys {

    /** The key to sign with now; never blocks on I/O (it is called for every forwarded request). */
    ECKey signingKey();

    /**
     * The public halves of the previous (if any), current and next keys, and of every retired key that stopped
     * signing less than the longest token lifetime (a batch grant's) ago.
     */
    JWKSet publicKeys();

    /**
     * Signs with the next key from now on.
     *
     * @return the id of the key that signs from now on
     * @throws SigningKeyRing.TooEarlyException if the last rotation is more recent than the longest token lifetime
     */
    String rotate();

    /**
     * The JWK set verifiers fetch: public halves only, the previous key while tokens it signed may still live, and
     * the retired keys still within their publication time at {@code now}.
     */
    static JWKSet publicSet(ECKey previous, ECKey current, ECKey next, List<Retired> retired, Instant now) {
        List<JWK> keys = new ArrayList<>(3 + retired.size());
        keys.add(current.toPublicJWK());
        keys.add(next.toPublicJWK());
        if (previous != null) {
            keys.add(previous.toPublicJWK());
        }
        for (Retired key : retired) {
            if (now.isBefore(key.publishedUntil())) {
                keys.add(key.publicKey());
            }
        }
        return new JWKSet(keys);
    }

    /**
     * A key that left the ring (no longer previous, current or next) but may have signed a batch grant that still
     * lives: published until {@code publishedUntil}, the moment it stopped signing plus the longest token lifetime.
     *
     * @param publicKey its public half only
     */
    record Retired(JWK publicKey, Instant publishedUntil) {
    }
}
