package dev.genaiplatform.orchestrator.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.Map;

/**
 * One real PostgreSQL (zonky embedded binaries) per test JVM with a database {@code orchestrator}, started on first
 * use. Registered in {@code META-INF/spring.factories} as a context initializer, so every application context a test
 * starts (agent runs need the database) points its datasource here without each test saying so.
 */
public final class TestPostgres implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** A test whose batches must not meet other tests' names its own database with this property. */
    public static final String DATABASE_PROPERTY = "platform.test.database";

    private static EmbeddedPostgres server;
    private static final java.util.Set<String> databases = new java.util.HashSet<>(java.util.Set.of("orchestrator"));

    /** The JDBC URL of {@code database} (created on first use) in the test JVM's PostgreSQL. */
    public static synchronized String jdbcUrl(String database) {
        jdbcUrl();
        if (databases.add(database)) {
            try (var connection = server.getPostgresDatabase().getConnection();
                 var statement = connection.createStatement()) {
                statement.execute("create database " + database);
            }
            catch (SQLException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return server.getJdbcUrl("postgres", database);
    }

    public static synchronized String jdbcUrl() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
                try (var connection = server.getPostgresDatabase().getConnection();
                     var statement = connection.createStatement()) {
                    statement.execute("create database orchestrator");
                }
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            catch (SQLException ex) {
                throw new IllegalStateException(ex);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                }
                catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return server.getJdbcUrl("postgres", "orchestrator");
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test-postgres", Map.of(
                "spring.datasource.url", jdbcUrl(context.getEnvironment().getProperty(DATABASE_PROPERTY, "orchestrator")),
                "spring.datasource.username", "postgres",
                "spring.datasource.password", "postgres")));
    }
}
