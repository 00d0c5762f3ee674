package dev.genaiplatform.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What the services stand on: the Kafka broker, Redis and PostgreSQL, all with credentials from
 * {@link PlatformSecrets}, all keeping their data under {@link LauncherSettings#dataDir()}, so stopping
 * and starting the launcher loses nothing. Started side by side, stopped in reverse order.
 */
final class Infrastructure implements AutoCloseable {

    private final LauncherSettings settings;
    private final PlatformSecrets secrets;
    private final ServiceEnvironment environment;
    private KafkaBroker kafka;
    private RedisProcess redis;
    private PostgresServer postgres;
    private DataDirectoryLock lock;

    private Infrastructure(LauncherSettings settings, PlatformSecrets secrets) {
        this.settings = settings;
        this.secrets = secrets;
        this.environment = new ServiceEnvironment(settings, secrets);
    }

    static Infrastructure start(LauncherSettings settings, Consumer<String> log) throws Exception {
        Infrastructure infrastructure = open(settings);
        try {
            infrastructure.startStores(log);
            return infrastructure;
        } catch (Exception | Error e) {
            infrastructure.close();
            throw e;
        }
    }

    /**
     * Takes the data directory's lock and its secrets, and starts nothing yet: the {@link #environment} is known from
     * here on (so a service that needs no store can start while the stores do), and {@link #close} stops whatever
     * {@link #startStores} has started so far.
     */
    static Infrastructure open(LauncherSettings settings) throws IOException {
        Path dataDir = ownerOnlyDirectory(settings.dataDir());
        DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir);
        Infrastructure infrastructure;
        try {
            infrastructure = new Infrastructure(settings, PlatformSecrets.loadOrCreate(dataDir));
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        infrastructure.lock = lock;
        return infrastructure;
    }

    /**
     * The three stores depend on nothing but the data directory and the secrets, so Redis and PostgreSQL start on
     * threads of their own while the broker starts (and gets its ACLs) on this one; each logs its own time. Measured
     * in the README ("Start and memory", Wave 7).
     */
    void startStores(Consumer<String> log) throws Exception {
        kafka = new KafkaBroker(settings.kafkaPort(), settings.kafkaControllerPort(), settings.kafkaDir(),
                environment.kafkaUsers());
        redis = new RedisProcess(settings.redisPort(), secrets.get(PlatformSecrets.REDIS_PASSWORD), settings.redisDir());
        postgres = new PostgresServer(settings.postgresPort(), settings.postgresDir(),
                secrets.get(PlatformSecrets.POSTGRES_SUPERUSER_PASSWORD));
        try (ExecutorService stores = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("store-start-", 0).factory())) {
            Future<?> redisStarted = stores.submit(() -> {
                long t0 = System.nanoTime();
                redis.start();
                log.accept(String.format("  redis         ready at 127.0.0.1:%d in %.1f s (%s, password, append-only file)",
                        redis.port(), seconds(t0), redis.origin()));
                return null;
            });
            Future<?> postgresStarted = stores.submit(() -> {
                long t0 = System.nanoTime();
                postgres.start(settings.stateDir().resolve("logs").resolve("postgres.log"));
                for (String database : environment.databases()) {
                    postgres.ensureDatabase(database, secrets.postgresPassword(database));
                }
                log.accept(String.format("  postgresql    ready at 127.0.0.1:%d in %.1f s (databases %s, passwords required)",
                        postgres.port(), seconds(t0), String.join(", ", environment.databases())));
                return null;
            });
            long t0 = System.nanoTime();
            kafka.start();
            kafka.grantExactly(KafkaAccess.bindings());
            log.accept(String.format("  kafka         ready at %s in %.1f s (KRaft in the launcher's JVM, SASL/PLAIN, "
                    + "%d per-topic ACLs, data in %s)", kafka.bootstrapServers(), seconds(t0),
                    KafkaAccess.bindings().size(), settings.kafkaDir()));
            await(redisStarted);
            await(postgresStarted);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void await(Future<?> start) throws Exception {
        try {
            start.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    ServiceEnvironment environment() {
        return environment;
    }

    PlatformSecrets secrets() {
        return secrets;
    }

    KafkaBroker kafka() {
        return kafka;
    }

    PostgresServer postgres() {
        return postgres;
    }

    /**
     * Deletes everything the platform keeps between runs: data, secrets, index. Refuses while a platform
     * runs on this data directory (it holds the directory's lock).
     */
    static void wipe(LauncherSettings settings) throws IOException {
        Path dataDir = settings.dataDir();
        if (!Files.exists(dataDir)) {
            return;
        }
        try (DataDirectoryLock ignored = DataDirectoryLock.acquire(dataDir);
             Stream<Path> paths = Files.walk(dataDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static Path ownerOnlyDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    @Override
    public synchronized void close() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("  postgresql did not stop cleanly: " + e.getMessage());
            }
            postgres = null;
        }
        if (redis != null) {
            try {
                redis.close();
            } catch (IOException e) {
                System.err.println("  redis did not stop cleanly: " + e.getMessage());
            }
            redis = null;
        }
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                System.err.println("  the data directory's lock was not released cleanly: " + e.getMessage());
            }
            lock = null;
        }
    }
}
