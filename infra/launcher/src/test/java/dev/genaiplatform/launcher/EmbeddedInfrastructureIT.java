package dev.genaiplatform.launcher;

import dev.genaiplatform.contracts.Topics;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static dev.genaiplatform.launcher.InfrastructureClients.freePort;
import static dev.genaiplatform.launcher.InfrastructureClients.readAll;
import static dev.genaiplatform.launcher.InfrastructureClients.redis;
import static dev.genaiplatform.launcher.InfrastructureClients.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The broker, Redis and PostgreSQL the launcher starts are real servers that real clients can use, and
 * that refuse clients without the generated credentials.
 */
// before any class starts the shared platform (junit-platform.properties): never two platforms at once
@Order(2)
class EmbeddedInfrastructureIT {

    private static Infrastructure infrastructure;
    private static LauncherSettings settings;

    @BeforeAll
    static void start() throws Exception {
        settings = settings(Files.createTempDirectory("platform-infra-"));
        infrastructure = Infrastructure.start(settings, line -> System.out.println("[infra] " + line));
    }

    @AfterAll
    static void stop() throws Exception {
        infrastructure.close();
        Infrastructure.wipe(settings);
    }

    /** Only the infrastructure's ports matter here; services are not started. */
    static LauncherSettings settings(Path dataDir) throws Exception {
        return LauncherSettings.from(Path.of(".").toAbsolutePath(), Map.of(
                "PLATFORM_DATA_DIR", dataDir.toString(),
                "KAFKA_PORT", String.valueOf(freePort()), "KAFKA_CONTROLLER_PORT", String.valueOf(freePort()),
                "REDIS_PORT", String.valueOf(freePort()), "POSTGRES_PORT", String.valueOf(freePort()))::get);
    }

    private static Map<String, String> kafkaLogin(String user) {
        return KafkaBroker.clientSecurity(user, infrastructure.secrets().kafkaPassword(user));
    }

    @Test
    void theBrokerDeliversRecordsFromTheServiceThatMayWriteATopicToTheServiceThatMayReadIt() throws Exception {
        send(settings.bootstrapServers(), kafkaLogin("orchestrator"), Topics.GUARDRAILS_CHECK_INPUT, "hello");

        assertThat(readAll(settings.bootstrapServers(), kafkaLogin("guardrails"), Topics.GUARDRAILS_CHECK_INPUT, 1,
                "guardrails-infra-test")).containsExactly("hello");
    }

    @Test
    void theBrokerAllowsOnlyWhatTheAccessTableGrants() throws Exception {
        assertThat(infrastructure.kafka().acls()).isEqualTo(KafkaAccess.bindings());

        send(settings.bootstrapServers(), kafkaLogin("gateway"), Topics.GATEWAY_API_KEY_REVOKED, "revoked");
        assertThatThrownBy(() -> send(settings.bootstrapServers(), kafkaLogin("orchestrator"),
                Topics.GATEWAY_API_KEY_REVOKED, "forged"))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        // evaluation reads the orchestrator's completions, never the prompts on their way to guardrails
        send(settings.bootstrapServers(), kafkaLogin("orchestrator"), Topics.CHAT_COMPLETION_RECORDED, "completed");
        assertThat(readAll(settings.bootstrapServers(), kafkaLogin("evaluation"), Topics.CHAT_COMPLETION_RECORDED, 1,
                "evaluation-infra-test")).containsExactly("completed");
        assertThatThrownBy(() -> readAll(settings.bootstrapServers(), kafkaLogin("evaluation"),
                Topics.GUARDRAILS_CHECK_INPUT, 1, "evaluation-infra-test"))
                .isInstanceOf(TopicAuthorizationException.class);
        // a topic outside every row is created by nobody but the broker's own user
        assertThatThrownBy(() -> send(settings.bootstrapServers(), kafkaLogin("orchestrator"),
                "launcher.smoke-test.v1", "hello"))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        send(settings.bootstrapServers(), kafkaLogin(KafkaBroker.BROKER_USER), "launcher.smoke-test.v1", "hello");
    }

    @Test
    void theBrokerRefusesAWrongPasswordAndAClientWithoutOne() {
        assertThatThrownBy(() -> send(settings.bootstrapServers(),
                KafkaBroker.clientSecurity("orchestrator", "guessed"), "launcher.smoke-test.v1", "forged"))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        // a PLAINTEXT client never completes the handshake: its send times out instead of being delivered
        assertThatThrownBy(() -> send(settings.bootstrapServers(), Map.of("max.block.ms", "3000"),
                "launcher.smoke-test.v1", "anonymous"))
                .isNotNull();
    }

    @Test
    void redisAnswersOnlyAfterAuthentication() throws Exception {
        String password = infrastructure.secrets().get(PlatformSecrets.REDIS_PASSWORD);

        assertThat(redis(settings.redisPort(), "PING").getFirst()).startsWith("-NOAUTH");
        assertThat(redis(settings.redisPort(), "AUTH wrong").getFirst()).startsWith("-WRONGPASS");
        assertThat(redis(settings.redisPort(), "AUTH " + password, "PING")).containsExactly("+OK", "+PONG");
    }

    @Test
    void theBundledRedisFallbackAlsoRequiresItsPasswordAndKeepsItsDataAcrossARestart() throws Exception {
        Path dir = Files.createTempDirectory("bundled-redis-");
        int port = freePort();
        try (RedisProcess bundled = new RedisProcess(port, "s3cret", dir, false)) {
            bundled.start();
            assertThat(bundled.origin()).contains("bundled");
            assertThat(redis(port, "PING").getFirst()).startsWith("-NOAUTH");
            assertThat(redis(port, "AUTH s3cret", "SET k v")).containsExactly("+OK", "+OK");
        }
        try (RedisProcess again = new RedisProcess(port, "s3cret", dir, false)) {
            again.start();
            assertThat(redis(port, "AUTH s3cret", "GET k")).containsExactly("+OK", "v");
        }
    }

    @Test
    void eachServiceHasItsOwnPasswordProtectedDatabase() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + settings.postgresPort() + "/";
        String gatewayPassword = infrastructure.secrets().postgresPassword("gateway");

        try (var c = DriverManager.getConnection(url + "gateway", "gateway", gatewayPassword);
             var rows = c.createStatement().executeQuery("SELECT current_database(), current_user")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("gateway");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url + "gateway", "gateway", "guessed"))
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> DriverManager.getConnection(url + "gateway", "postgres", ""))
                .isInstanceOf(SQLException.class);
        // one service's role cannot open another service's database
        assertThatThrownBy(() -> DriverManager.getConnection(url + "evaluation", "gateway", gatewayPassword))
                .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
    }

    @Test
    void aSecondPlatformOnTheSameDataDirectoryAndAWipeWhileRunningAreRefused() throws Exception {
        LauncherSettings sameData = settings(settings.dataDir());

        assertThatThrownBy(() -> Infrastructure.start(sameData, line -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
        assertThatThrownBy(() -> Infrastructure.wipe(settings))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
        assertThat(settings.dataDir().resolve(PlatformSecrets.FILE_NAME)).exists();
    }

    @Test
    void theSecretsFileIsOwnerOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(
                Files.getPosixFilePermissions(settings.dataDir().resolve(PlatformSecrets.FILE_NAME)))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(
                Files.getPosixFilePermissions(settings.dataDir()))).isEqualTo("rwx------");
    }
}
