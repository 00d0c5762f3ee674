package dev.genaiplatform.launcher;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.DriverManager;
import java.util.Map;

import static dev.genaiplatform.launcher.InfrastructureClients.readAll;
import static dev.genaiplatform.launcher.InfrastructureClients.redis;
import static dev.genaiplatform.launcher.InfrastructureClients.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 item 6 at the launcher's level: what the platform stores survives a stop and a start of the
 * launcher (same data directory, new processes, same secrets), and {@code --wipe} removes it. Services
 * are not started: they keep their state in these three stores, so the stores are what must persist.
 */
// before any class starts the shared platform (junit-platform.properties): never two platforms at once
@Order(3)
class DurableStateIT {

    private static final String TOPIC = "launcher.durable-state-test.v1";

    @Test
    void kafkaRecordsPostgresRowsAndRedisKeysSurviveARestartAndTheWipeRemovesThem() throws Exception {
        LauncherSettings settings = EmbeddedInfrastructureIT.settings(Files.createTempDirectory("platform-durable-"));
        String url = "jdbc:postgresql://127.0.0.1:" + settings.postgresPort() + "/evaluation";

        try (Infrastructure first = Infrastructure.start(settings, line -> { })) {
            PlatformSecrets secrets = first.secrets();
            send(settings.bootstrapServers(), login(secrets, "orchestrator"), TOPIC, "completion-1");
            try (var c = DriverManager.getConnection(url, "evaluation", secrets.postgresPassword("evaluation"));
                 var s = c.createStatement()) {
                s.execute("CREATE TABLE runs (id text PRIMARY KEY, score numeric)");
                s.execute("INSERT INTO runs VALUES ('run-1', 0.87)");
            }
            assertThat(redis(settings.redisPort(), "AUTH " + secrets.get(PlatformSecrets.REDIS_PASSWORD),
                    "SET budget:demo 1234")).containsExactly("+OK", "+OK");
        }

        try (Infrastructure second = Infrastructure.start(settings, line -> { })) {
            PlatformSecrets secrets = second.secrets();
            assertThat(secrets.createdNow()).isFalse();
            assertThat(readAll(settings.bootstrapServers(), login(secrets, "evaluation"), TOPIC, 1))
                    .containsExactly("completion-1");
            try (var c = DriverManager.getConnection(url, "evaluation", secrets.postgresPassword("evaluation"));
                 var rows = c.createStatement().executeQuery("SELECT score FROM runs WHERE id = 'run-1'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getDouble(1)).isEqualTo(0.87);
            }
            assertThat(redis(settings.redisPort(), "AUTH " + secrets.get(PlatformSecrets.REDIS_PASSWORD),
                    "GET budget:demo")).containsExactly("+OK", "1234");
        }

        Infrastructure.wipe(settings);
        assertThat(settings.dataDir()).doesNotExist();
        try (Infrastructure fresh = Infrastructure.start(settings, line -> { })) {
            assertThat(fresh.secrets().createdNow()).isTrue();
            assertThat(redis(settings.redisPort(), "AUTH " + fresh.secrets().get(PlatformSecrets.REDIS_PASSWORD),
                    "GET budget:demo")).containsExactly("+OK", "$-1");
        } finally {
            Infrastructure.wipe(settings);
        }
    }

    private static Map<String, String> login(PlatformSecrets secrets, String user) {
        return KafkaBroker.clientSecurity(user, secrets.kafkaPassword(user));
    }
}
