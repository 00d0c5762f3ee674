package dev.genaiplatform.launcher;

import dev.genaiplatform.contracts.Topics;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.DriverManager;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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

    private static final String TOPIC = Topics.CHAT_COMPLETION_RECORDED;
    /** A rule the table does not have, as an older launcher's table might have left behind in the metadata log. */
    private static final AclBinding STALE = new AclBinding(
            new ResourcePattern(ResourceType.TOPIC, Topics.GUARDRAILS_CHECK_INPUT, PatternType.LITERAL),
            new AccessControlEntry("User:evaluation", "*", AclOperation.READ, AclPermissionType.ALLOW));

    @Test
    void kafkaRecordsPostgresRowsAndRedisKeysSurviveARestartAndTheWipeRemovesThem() throws Exception {
        LauncherSettings settings = EmbeddedInfrastructureIT.settings(Files.createTempDirectory("platform-durable-"));
        String url = "jdbc:postgresql://127.0.0.1:" + settings.postgresPort() + "/evaluation";

        try (Infrastructure first = Infrastructure.start(settings, line -> { })) {
            PlatformSecrets secrets = first.secrets();
            send(settings.bootstrapServers(), login(secrets, "orchestrator"), TOPIC, "completion-1");
            Set<AclBinding> withStale = new HashSet<>(KafkaAccess.bindings());
            withStale.add(STALE);
            first.kafka().grantExactly(withStale);
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
            assertThat(readAll(settings.bootstrapServers(), login(secrets, "evaluation"), TOPIC, 1,
                    "evaluation-durable-test")).containsExactly("completion-1");
            // ACLs live in the metadata log too; the restart made them the table's again, the stale one gone
            assertThat(second.kafka().acls()).isEqualTo(KafkaAccess.bindings());
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
