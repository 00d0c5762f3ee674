package dev.genaiplatform.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One real PostgreSQL per test JVM (zonky's binaries from Maven Central, no Docker) with a database
 * {@code gateway}, shared by every gateway the tests start: two instances on one database is the production shape.
 */
final class TestDatabase {

    private static EmbeddedPostgres postgres;

    private TestDatabase() {
    }

    static synchronized String jdbcUrl() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
                try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
                    connection.createStatement().execute("create database gateway");
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return postgres.getJdbcUrl("postgres", "gateway");
    }

    static void register(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "postgres");
    }
}
