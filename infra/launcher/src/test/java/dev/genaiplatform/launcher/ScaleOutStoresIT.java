package dev.genaiplatform.launcher;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import static dev.genaiplatform.launcher.InfrastructureClients.redis;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stores compose and Kubernetes run, from the same images, configured the same way: PostgreSQL with
 * pgvector answers a nearest-neighbour query; Redis refuses commands before {@code AUTH}. Skipped where no
 * Docker engine exists; the same behaviours without Docker: {@link EmbeddedInfrastructureIT} (passwords)
 * and retrieval's own tests (vector search).
 */
@Testcontainers(disabledWithoutDocker = true)
class ScaleOutStoresIT {

    @Container
    static final GenericContainer<?> POSTGRES = new GenericContainer<>("pgvector/pgvector:pg17")
            .withEnv("POSTGRES_PASSWORD", "test-only")
            .withExposedPorts(5432)
            .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2));

    @Container
    static final GenericContainer<?> REDIS = new GenericContainer<>("redis:7.4-alpine")
            .withCommand("redis-server", "--requirepass", "test-only", "--appendonly", "yes")
            .withExposedPorts(6379);

    @Test
    void pgvectorOrdersRowsByDistanceToAQueryVector() throws Exception {
        String url = "jdbc:postgresql://" + POSTGRES.getHost() + ":" + POSTGRES.getMappedPort(5432) + "/postgres";
        try (var c = DriverManager.getConnection(url, "postgres", "test-only"); var s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS vector");
            s.execute("CREATE TABLE chunks (id text PRIMARY KEY, embedding vector(3))");
            s.execute("INSERT INTO chunks VALUES ('far', '[1,0,0]'), ('near', '[0,1,0.1]'), ('middle', '[0.5,0.5,0]')");
            List<String> order = new ArrayList<>();
            try (var rows = s.executeQuery("SELECT id FROM chunks ORDER BY embedding <=> '[0,1,0]' LIMIT 3")) {
                while (rows.next()) {
                    order.add(rows.getString(1));
                }
            }
            assertThat(order).containsExactly("near", "middle", "far");
        }
    }

    @Test
    void redisAsComposeRunsItNeedsThePassword() throws Exception {
        int port = REDIS.getMappedPort(6379);
        assertThat(redis(REDIS.getHost(), port, "PING").getFirst()).startsWith("-NOAUTH");
        assertThat(redis(REDIS.getHost(), port, "AUTH test-only", "PING")).containsExactly("+OK", "+PONG");
    }
}
