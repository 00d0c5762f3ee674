package dev.genaiplatform.gateway;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * One real Redis per test JVM on a free port: the {@code redis-server} on the PATH when there is one,
 * else the binary shipped inside embedded-redis. Stopped when the JVM exits.
 */
final class TestRedis {

    private static int port;

    private TestRedis() {
    }

    static synchronized int port() {
        if (port == 0) {
            port = start();
        }
        return port;
    }

    private static int start() {
        int free = freePort();
        RedisServer server = startOn(free);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            }
            catch (IOException e) {
                // the JVM is exiting; the process dies with it
            }
        }));
        return free;
    }

    /** A Redis of a test's own on a given port, without persistence; the test stops (and may restart) it. */
    static RedisServer startOn(int port) {
        try {
            RedisServer server = RedisServer.newRedisServer()
                .executableProvider(executable())
                .bind("127.0.0.1")
                .port(port)
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
            server.start();
            return server;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not start Redis for the tests", e);
        }
    }

    private static ExecutableProvider executable() {
        try {
            return ExecutableProvider.newExecutableInPath("redis-server");
        }
        catch (FileNotFoundException notOnPath) {
            return ExecutableProvider.newJarResourceProvider();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
