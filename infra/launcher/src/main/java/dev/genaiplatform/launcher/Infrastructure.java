package dev.genaiplatform.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What the services stand on: the Kafka broker, Redis and PostgreSQL, all with credentials from
 * {@link PlatformSecrets}, all keeping their data under {@link LauncherSettings#dataDir()}, so stopping
 * and starting the launcher loses nothing. Started in that order, stopped in reverse.
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
        try {
            infrastructure.startAll(log);
            return infrastructure;
        } catch (Exception | Error e) {
            infrastructure.close();
            throw e;
        }
    }

    private void startAll(Consumer<String> log) throws Exception {
        kafka = new KafkaBroker(settings.kafkaPort(), settings.kafkaControllerPort(), settings.kafkaDir(),
                environment.kafkaUsers());
        kafka.start();
        kafka.grantExactly(KafkaAccess.bindings());
        log.accept(String.format("  kafka         ready at %s (KRaft in the launcher's JVM, SASL/PLAIN, %d per-topic ACLs, "
                + "data in %s)", kafka.bootstrapServers(), KafkaAccess.bindings().size(), settings.kafkaDir()));

        redis = new RedisProcess(settings.redisPort(), secrets.get(PlatformSecrets.REDIS_PASSWORD), settings.redisDir());
        redis.start();
        log.accept(String.format("  redis         ready at 127.0.0.1:%d (%s, password, append-only file)",
                redis.port(), redis.origin()));

        postgres = new PostgresServer(settings.postgresPort(), settings.postgresDir(),
                secrets.get(PlatformSecrets.POSTGRES_SUPERUSER_PASSWORD));
        postgres.start(settings.stateDir().resolve("logs").resolve("postgres.log"));
        for (String database : environment.databases()) {
            postgres.ensureDatabase(database, secrets.postgresPassword(database));
        }
        log.accept(String.format("  postgresql    ready at 127.0.0.1:%d (databases %s, passwords required)",
                postgres.port(), String.join(", ", environment.databases())));
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
    public void close() {
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
