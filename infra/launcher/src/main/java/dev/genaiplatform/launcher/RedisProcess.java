package dev.genaiplatform.launcher;

import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real Redis server on loopback that requires a password and persists to the data directory (an
 * append-only file, fsync'd every second, so a restart keeps rate-limit buckets and budgets).
 *
 * <p>A {@code redis-server} on the PATH is preferred (Debian 12's 7.0, which {@code .ci/run} installs);
 * without one, the 6.2.x binary bundled in the embedded-redis jar runs, so a machine with only a JDK
 * still gets a real Redis. Both accept the same settings used here. The generated config file holding
 * the password is created owner-only and deleted when the launcher exits.
 */
final class RedisProcess implements AutoCloseable {

    private final int port;
    private final RedisServer server;
    private final String origin;

    RedisProcess(int port, String password, Path dataDir) throws IOException {
        this(port, password, dataDir, true);
    }

    /** @param preferPath false: the bundled binary even when one is on the PATH (to test the fallback) */
    RedisProcess(int port, String password, Path dataDir, boolean preferPath) throws IOException {
        this.port = port;
        Files.createDirectories(dataDir);
        ExecutableProvider executable = null;
        String origin = "redis-server from PATH";
        if (preferPath) {
            try {
                executable = ExecutableProvider.newExecutableInPath("redis-server");
            } catch (FileNotFoundException notOnPath) {
                executable = null;
            }
        }
        if (executable == null) {
            executable = ExecutableProvider.newJarResourceProvider();
            origin = "redis-server 6.2 bundled with embedded-redis (install a current redis-server to use it instead)";
        }
        this.origin = origin;
        this.server = RedisServer.newRedisServer()
                .executableProvider(executable)
                .port(port)
                .bind("127.0.0.1")
                .setting("requirepass " + password)
                // the persistence: an append-only file in the data directory, no RDB snapshots on top
                .setting("dir \"" + dataDir.toAbsolutePath() + "\"")
                .setting("appendonly yes")
                .setting("appendfsync everysec")
                .setting("save \"\"")
                .build();
    }

    void start() throws IOException {
        server.start();
    }

    int port() {
        return port;
    }

    String origin() {
        return origin;
    }

    @Override
    public void close() throws IOException {
        if (server.isActive()) {
            server.stop();
        }
    }
}
