package dev.genaiplatform.launcher;

import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * A real Redis server on loopback, for the gateway's rate limiter. A {@code redis-server} on the PATH
 * is preferred (for example Debian's package); without one, the binary bundled in the embedded-redis
 * jar runs, so a machine with only a JDK still gets a real Redis.
 */
final class RedisProcess implements AutoCloseable {

    private final int port;
    private final RedisServer server;
    private final String origin;

    RedisProcess(int port) throws IOException {
        this.port = port;
        ExecutableProvider executable;
        String origin;
        try {
            executable = ExecutableProvider.newExecutableInPath("redis-server");
            origin = "redis-server from PATH";
        } catch (FileNotFoundException notOnPath) {
            executable = ExecutableProvider.newJarResourceProvider();
            origin = "redis-server bundled with embedded-redis";
        }
        this.origin = origin;
        this.server = RedisServer.newRedisServer()
                .executableProvider(executable)
                .port(port)
                .bind("127.0.0.1")
                // a cache for rate-limit buckets: nothing to persist
                .setting("save \"\"")
                .setting("appendonly no")
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
