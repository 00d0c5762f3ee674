package dev.genaiplatform.retrieval.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A private PostgreSQL cluster with pgvector for tests, started once per test JVM from the distribution's binaries
 * ({@code /usr/lib/postgresql/15/bin}, or {@code PGVECTOR_PG_BIN}) on a free loopback port, with trust
 * authentication for user {@code postgres}, and stopped when the JVM exits. zonky's embedded binaries have no pgvector,
 * which is why this exists. initdb refuses to run as root, so as root the cluster runs as the {@code postgres} user.
 */
public final class PgVectorPostgres {

    private static final Path BIN = Path.of(System.getenv().getOrDefault("PGVECTOR_PG_BIN", "/usr/lib/postgresql/15/bin"));
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static String baseUrl;

    private PgVectorPostgres() {
    }

    /** Why the cluster cannot run here, or null when it can. */
    public static String unavailableReason() {
        if (!Files.isExecutable(BIN.resolve("initdb")) || !Files.isExecutable(BIN.resolve("pg_config"))) {
            return "pgvector tests skipped: no PostgreSQL server binaries in " + BIN + " (set PGVECTOR_PG_BIN)";
        }
        try {
            Path lib = Path.of(run(List.of(BIN.resolve("pg_config").toString(), "--pkglibdir")).strip());
            if (!Files.exists(lib.resolve("vector.so"))) {
                return "pgvector tests skipped: " + lib.resolve("vector.so") + " is missing; run infra/ci/install-pgvector.sh (as root)";
            }
        } catch (IOException e) {
            return "pgvector tests skipped: pg_config failed: " + e.getMessage();
        }
        if (isRoot() && !commandExists("runuser")) {
            return "pgvector tests skipped: running as root without runuser (initdb refuses root)";
        }
        return null;
    }

    /** A fresh database with the vector extension; returns its JDBC URL (user postgres, no password). */
    public static synchronized String newDatabase() {
        try {
            if (baseUrl == null) {
                baseUrl = start();
            }
            String name = "pgvector_" + DATABASES.incrementAndGet();
            try (Connection connection = DriverManager.getConnection(baseUrl + "postgres", "postgres", "")) {
                connection.createStatement().execute("create database " + name);
            }
            try (Connection connection = DriverManager.getConnection(baseUrl + name, "postgres", "")) {
                connection.createStatement().execute("create extension if not exists vector");
            }
            return baseUrl + name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String start() throws IOException {
        Path home = Files.createTempDirectory("pgvector-test-");
        Path data = home.resolve("data");
        int port = freePort();
        List<String> asOwner = new ArrayList<>();
        if (isRoot()) {
            run(List.of("chown", "postgres:postgres", home.toString()));
            asOwner.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        run(concat(asOwner, BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust",
                "-E", "UTF8", "--no-sync"));
        run(concat(asOwner, BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", home.resolve("postgres.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + " -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=128MB -c max_connections=40",
                "start"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                run(concat(asOwner, BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
                run(List.of("rm", "-rf", home.toString()));
            } catch (IOException e) {
                System.err.println("Could not stop the test PostgreSQL in " + home + ": " + e.getMessage());
            }
        }));
        return "jdbc:postgresql://127.0.0.1:" + port + "/";
    }

    private static List<String> concat(List<String> prefix, String... command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(command));
        return all;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean commandExists(String command) {
        return Files.isExecutable(Path.of("/usr/sbin", command)) || Files.isExecutable(Path.of("/sbin", command))
                || Files.isExecutable(Path.of("/usr/bin", command)) || Files.isExecutable(Path.of("/bin", command));
    }

    private static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        }
    }
}
