package dev.genaiplatform.gateway.token;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.genaiplatform.gateway.observability.SampledLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The signing-key ring shared by every gateway instance on one PostgreSQL database, so a token signed by any
 * instance verifies against the JWK set of any other, and a restarted instance keeps signing with the keys the
 * services already know (schema: {@code db/migration/V2__shared_signing_keys.sql}).
 *
 * <p>The database holds generations of keys and one pointer, the generation that signs now. Private halves are
 * stored sealed ({@link KeySealer}); each instance opens them with the secret it was given. The request path never
 * touches the database: it reads an in-memory snapshot, which a background thread refreshes every
 * {@code refresh-interval} (one indexed read; the keys are only read and opened again when the generation moved).
 *
 * <p>Why instances may briefly disagree, and why that is harmless: a rotation moves the pointer by one, so until
 * the others refresh, the rotating instance signs with the old "next" key and the others with the old "current"
 * one. Both are in every instance's JWK set (previous, current and next are all published), so a service verifies
 * tokens from either, whichever instance's set it fetched. Two rotations closer together than the longest token
 * lifetime are refused (the same rule as {@link SigningKeyRing}), which keeps that window far wider than the refresh
 * interval. A rotation is one transaction holding the pointer's row lock, so two instances can never both rotate;
 * the scheduled rotation is decided on the database's clock, the one clock all instances share.
 *
 * <p>Retired keys: a rotation stamps the key that stops signing with {@code retired_at}; once it falls out of the
 * ring its sealed private half is erased and its row (and its public half in every instance's JWK set) is kept until
 * {@code retired_at} plus the longest token lifetime, a batch grant's, so a grant never outlives the key that verifies
 * it. Only then is the row deleted.
 */
public final class SharedSigningKeyRing implements SigningKeys, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SharedSigningKeyRing.class);

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final KeySealer sealer;

    private final Duration rotationInterval;

    private final Duration minimumInterval;

    private final Duration retiredKeyLife;

    private final ScheduledExecutorService refresher;

    /** Opened private keys by key id, so that a refresh opens only keys it has not seen. */
    private final Map<String, ECKey> opened = new ConcurrentHashMap<>();

    private final SampledLog refreshFailures = new SampledLog(log, Duration.ofSeconds(30));

    private volatile Ring ring;

    /**
     * Creates the ring in the database if no instance has yet, loads it (failing the start if the keys do not open
     * with this secret), and starts refreshing.
     *
     * @param keyEncryptionSecret seals and opens the private keys; the same on every instance
     * @param rotationInterval rotate on its own this often (zero: only on demand)
     * @param minimumInterval the longest request token lifetime: rotations closer than this are refused
     * @param retiredKeyLife how long a key stays published after it stopped signing: the longest lifetime of any
     *     token it signed (a batch grant's)
     * @param refreshInterval how often this instance rereads the pointer
     */
    public SharedSigningKeyRing(JdbcClient jdbc, TransactionTemplate transactions, String keyEncryptionSecret,
            Duration rotationInterval, Duration minimumInterval, Duration retiredKeyLife, Duration refreshInterval) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.sealer = new KeySealer(keyEncryptionSecret);
        this.rotationInterval = rotationInterval;
        this.minimumInterval = minimumInterval;
        this.retiredKeyLife = retiredKeyLife;
        createIfAbsent();
        this.ring = load(pointer());
        this.refresher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("signing-key-refresh").factory());
        long every = Math.max(1, refreshInterval.toMillis());
        refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public ECKey signingKey() {
        return ring.current();
    }

    @Override
    public JWKSet publicKeys() {
        Ring current = ring;
        return SigningKeys.publicSet(current.previous(), current.current(), current.next(), current.retired(),
                Instant.now());
    }

    @Override
    public String rotate() {
        rotateIfDue(null, minimumInterval, true);
        ring = load(pointer());
        return ring.current().getKeyID();
    }

    /** The generation that signs now on this instance (for tests and logs). */
    long generation() {
        return ring.generation();
    }

    /** Rereads the pointer; rotates when the interval has passed (one instance wins); reloads when it moved. */
    void refresh() {
        try {
            Pointer pointer = pointer();
            Duration due = rotationInterval.compareTo(minimumInterval) > 0 ? rotationInterval : minimumInterval;
            if (!rotationInterval.isZero() && !pointer.now().isBefore(pointer.rotatedAt().plus(due))) {
                rotateIfDue(pointer.generation(), due, false);
                pointer = pointer();
            }
            if (pointer.generation() != ring.generation()) {
                ring = load(pointer);
                log.info("Signing key {} signs from now on (generation {})", ring.current().getKeyID(), ring.generation());
            }
        }
        catch (RuntimeException e) {
            // The last ring keeps working: its keys stay valid until two rotations after it.
            refreshFailures.warn("Could not refresh the shared signing keys ({}); {} similar lines suppressed", e.toString());
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }

    private void createIfAbsent() {
        transactions.executeWithoutResult(status -> {
            // A second instance starting at the same moment waits here on the row and then finds it taken.
            int created = jdbc.sql("""
                    insert into signing_key_ring (current_generation, rotated_at) values (0, now())
                    on conflict (id) do nothing""").update();
            if (created == 1) {
                store(0, SigningKeyRing.generate());
                store(1, SigningKeyRing.generate());
                log.info("Created the shared signing-key ring");
            }
        });
    }

    /**
     * Moves the pointer one generation on and adds a fresh next key, in one transaction holding the pointer's lock.
     *
     * @param expected rotate only if the pointer is still at this generation (null: whatever it is)
     * @param notBefore the least time since the last rotation
     * @param refuseEarly throw {@link SigningKeyRing.TooEarlyException} instead of doing nothing when too early
     */
    private void rotateIfDue(Long expected, Duration notBefore, boolean refuseEarly) {
        transactions.executeWithoutResult(status -> {
            Pointer pointer = jdbc.sql("select current_generation, rotated_at, now() as db_now from signing_key_ring for update")
                .query((rs, row) -> pointer(rs)).single();
            if (expected != null && pointer.generation() != expected) {
                return; // another instance rotated first
            }
            Duration since = Duration.between(pointer.rotatedAt(), pointer.now());
            if (since.compareTo(notBefore) < 0) {
                if (refuseEarly) {
                    throw new SigningKeyRing.TooEarlyException(notBefore.minus(since));
                }
                return;
            }
            long generation = pointer.generation();
            store(generation + 2, SigningKeyRing.generate());
            jdbc.sql("update signing_key_ring set current_generation = ?, rotated_at = now()").param(generation + 1).update();
            // generation becomes the previous key and stops signing now
            jdbc.sql("update signing_key set retired_at = now() where generation = ?").param(generation).update();
            // a key leaving the ring never signs again: it keeps only its public half, even sealed nothing private stays
            jdbc.sql("update signing_key set sealed_private = ''::bytea where generation < ?").param(generation).update();
            // and goes once no token it signed can still live (a row from before retired_at existed: at once)
            jdbc.sql("""
                    delete from signing_key where generation < ?
                    and (retired_at is null or retired_at < now() - make_interval(secs => ?))""")
                .params(generation, retiredKeyLife.toMillis() / 1000.0).update();
        });
    }

    private void store(long generation, ECKey key) {
        jdbc.sql("insert into signing_key (generation, kid, public_jwk, sealed_private) values (?, ?, ?, ?)")
            .params(generation, key.getKeyID(), key.toPublicJWK().toJSONString(),
                    sealer.seal(key.getKeyID(), key.toJSONString().getBytes(StandardCharsets.UTF_8)))
            .update();
    }

    private Pointer pointer() {
        return jdbc.sql("select current_generation, rotated_at, now() as db_now from signing_key_ring")
            .query((rs, row) -> pointer(rs)).single();
    }

    private static Pointer pointer(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Pointer(rs.getLong("current_generation"), rs.getObject("rotated_at", OffsetDateTime.class).toInstant(),
                rs.getObject("db_now", OffsetDateTime.class).toInstant());
    }

    private Ring load(Pointer pointer) {
        long generation = pointer.generation();
        Map<Long, ECKey> keys = new java.util.HashMap<>();
        jdbc.sql("select generation, kid, sealed_private from signing_key where generation between ? and ?")
            .params(generation - 1, generation + 1)
            .query((rs, row) -> {
                keys.put(rs.getLong("generation"), open(rs.getString("kid"), rs.getBytes("sealed_private")));
                return null;
            }).list();
        if (!keys.containsKey(generation) || !keys.containsKey(generation + 1)) {
            throw new IllegalStateException("The shared signing-key ring lacks generation " + generation + " or "
                    + (generation + 1));
        }
        // retired keys: public halves only (they never sign again), published until retired_at + retiredKeyLife
        List<Retired> retired = jdbc.sql("""
                select public_jwk, retired_at from signing_key where generation < ? and retired_at is not null""")
            .param(generation - 1)
            .query((rs, row) -> new Retired(parsePublic(rs.getString("public_jwk")),
                    rs.getObject("retired_at", OffsetDateTime.class).toInstant().plus(retiredKeyLife)))
            .list();
        Ring loaded = new Ring(generation, keys.get(generation - 1), keys.get(generation), keys.get(generation + 1),
                List.copyOf(retired));
        opened.keySet().retainAll(keys.values().stream().map(ECKey::getKeyID).toList());
        return loaded;
    }

    private ECKey open(String kid, byte[] sealed) {
        return opened.computeIfAbsent(kid, id -> {
            try {
                return ECKey.parse(new String(sealer.open(id, sealed), StandardCharsets.UTF_8));
            }
            catch (ParseException e) {
                throw new IllegalStateException("Signing key " + id + " is not an EC JWK", e);
            }
        });
    }

    private static JWK parsePublic(String json) {
        try {
            return JWK.parse(json).toPublicJWK();
        }
        catch (ParseException e) {
            throw new IllegalStateException("A stored public signing key is not a JWK", e);
        }
    }

    private record Pointer(long generation, Instant rotatedAt, Instant now) {
    }

    private record Ring(long generation, ECKey previous, ECKey current, ECKey next, List<Retired> retired) {
    }
}
