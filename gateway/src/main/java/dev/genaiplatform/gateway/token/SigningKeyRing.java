package dev.genaiplatform.gateway.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/**
 * The gateway's token-signing keys (ES256, P-256): the one it signs with now, the one it signed with before,
 * and the one it will sign with next. All three public halves are published in the JWK set, so rotation
 * needs no coordination: a service that fetched the set at any time since the last rotation already knows
 * the key that signs after the next one (no verification failure while its cache is stale), and tokens
 * signed before a rotation still verify until the rotation after it.
 *
 * <p>Rotation happens on its own every {@code rotation-interval} (checked when a token is signed, no timer
 * thread) or on demand. Two rotations closer together than the longest token lifetime would drop the key of
 * tokens still in use, so {@link #rotate()} refuses that. A key that leaves the ring stays published as retired
 * until every token it may have signed has expired (a batch grant lives a day: far longer than a rotation
 * interval), so the set holds at most 3 + grant lifetime / shortest rotation interval keys. Keys live in this instance's memory only: private
 * keys never touch a disk, and a restarted gateway starts a fresh ring (tokens in flight are signed by keys the
 * services can no longer fetch). Used when no key-encryption secret is configured; with one, every instance
 * shares one ring in PostgreSQL ({@link SharedSigningKeyRing}).
 */
public final class SigningKeyRing implements SigningKeys {

    private final Clock clock;

    private final Duration rotationInterval;

    private final Duration minimumInterval;

    private final Duration retiredKeyLife;

    private volatile Ring ring;

    /**
     * @param rotationInterval rotate on its own this often (zero: only on demand)
     * @param minimumInterval the longest request token lifetime: rotations closer than this are refused
     * @param retiredKeyLife how long a key stays published after it stopped signing: the longest lifetime of any
     *     token it signed (a batch grant's), so no grant outlives its key
     */
    public SigningKeyRing(Duration rotationInterval, Duration minimumInterval, Duration retiredKeyLife, Clock clock) {
        this.clock = clock;
        this.rotationInterval = rotationInterval;
        this.minimumInterval = minimumInterval;
        this.retiredKeyLife = retiredKeyLife;
        this.ring = new Ring(null, generate(), generate(), clock.instant(), List.of());
    }

    /** The key to sign with now, rotating first if the interval has passed. */
    @Override
    public ECKey signingKey() {
        Ring current = ring;
        if (!rotationInterval.isZero() && !clock.instant().isBefore(current.rotatedAt().plus(rotationInterval))) {
            rotateIfStill(current);
            current = ring;
        }
        return current.current();
    }

    /**
     * Signs with the next key from now on. The new current key is already published, so no verifier
     * stumbles over it.
     *
     * @return the id of the key that signs from now on
     * @throws TooEarlyException if the last rotation is more recent than the longest token lifetime
     */
    @Override
    public synchronized String rotate() {
        Duration since = Duration.between(ring.rotatedAt(), clock.instant());
        if (since.compareTo(minimumInterval) < 0) {
            throw new TooEarlyException(minimumInterval.minus(since));
        }
        ring = ring.next(generate(), clock.instant(), retiredKeyLife);
        return ring.current().getKeyID();
    }

    /** The public halves of the previous, current and next keys. */
    @Override
    public JWKSet publicKeys() {
        Ring current = ring;
        return SigningKeys.publicSet(current.previous(), current.current(), current.next(), current.retired(),
                clock.instant());
    }

    private synchronized void rotateIfStill(Ring seen) {
        if (ring == seen) {
            ring = ring.next(generate(), clock.instant(), retiredKeyLife);
        }
    }

    static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                .keyID(UUID.randomUUID().toString()).generate();
        }
        catch (JOSEException e) {
            throw new IllegalStateException("Every JDK can generate P-256 keys", e);
        }
    }

    /**
     * @param rotatedAt when {@code current} began signing, and so when {@code previous} stopped
     * @param retired keys older than {@code previous} that may still have live grants
     */
    private record Ring(ECKey previous, ECKey current, ECKey next, Instant rotatedAt, List<Retired> retired) {

        Ring next(ECKey fresh, Instant now, Duration retiredKeyLife) {
            List<Retired> stillPublished = new ArrayList<>();
            for (Retired key : retired) {
                if (now.isBefore(key.publishedUntil())) {
                    stillPublished.add(key);
                }
            }
            // previous stopped signing when current began (rotatedAt); it may have signed a grant until then
            if (previous != null && now.isBefore(rotatedAt.plus(retiredKeyLife))) {
                stillPublished.add(new Retired(previous.toPublicJWK(), rotatedAt.plus(retiredKeyLife)));
            }
            return new Ring(current, next, fresh, now, List.copyOf(stillPublished));
        }
    }

    /** A rotation asked for too soon after the last one. */
    public static final class TooEarlyException extends RuntimeException {

        private final Duration wait;

        public TooEarlyException(Duration wait) {
            super("The signing key was rotated less than one token lifetime ago; retry in " + wait.toSeconds() + " s");
            this.wait = wait;
        }

        public Duration waitFor() {
            return wait;
        }
    }
}
