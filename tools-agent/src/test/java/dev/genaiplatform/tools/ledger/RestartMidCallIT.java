package dev.genaiplatform.tools.ledger;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.tools.InvokeToolCommand;
import dev.genaiplatform.tools.ToolsAgentApplication;
import dev.genaiplatform.tools.support.EmbeddedPostgres;
import dev.genaiplatform.tools.support.KafkaAsker;
import dev.genaiplatform.tools.support.TestSecurity;
import dev.genaiplatform.tools.support.TestTokens;
import dev.genaiplatform.tools.support.TestTools;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stops the whole service while a tool is in the middle of its side effect, starts a new one on the same broker
 * and database, and counts side effects: the interrupted attempt rolls back with its ledger entry, the command is
 * delivered again (its offset was never committed) and runs once.
 */
// its own broker, published under its own property: the default (spring.kafka.bootstrap-servers, a system property)
// would repoint the shared test context's clients at a broker that dies with this class
@EmbeddedKafka(partitions = 1, topics = RestartMidCallIT.REPLIES, bootstrapServersProperty = "it.restart.kafka.brokers")
class RestartMidCallIT {

    static final String REPLIES = "it.restart-replies";

    private static ConfigurableApplicationContext start(EmbeddedKafkaBroker broker) {
        // command-line arguments: they outrank application.yml (builder "properties" are only defaults)
        return new SpringApplicationBuilder(ToolsAgentApplication.class, TestSecurity.class, TestTools.class)
                .run("--server.port=0", "--management.server.port=0", "--logging.level.org.apache.kafka=warn",
                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                        "--spring.kafka.consumer.properties.heartbeat.interval.ms=1000",
                        "--platform.tools.timeout=60s",
                        "--spring.datasource.url=" + EmbeddedPostgres.jdbcUrl(),
                        "--spring.datasource.username=postgres", "--spring.datasource.password=postgres");
    }

    @Test
    void stoppingTheServiceMidCallRollsTheAttemptBackAndTheRedeliveryRunsItOnce() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
        TestTools.entered = new CountDownLatch(1);
        TestTools.release = new CountDownLatch(1);
        String key = "restart:" + UUID.randomUUID();
        String arguments = "{\"marker\":\"" + key + "\"}";

        ConfigurableApplicationContext first = start(broker);
        JdbcTemplate firstJdbc = first.getBean(JdbcTemplate.class);
        firstJdbc.execute(TestTools.SIDE_EFFECT_TABLE);
        try (KafkaAsker kafka = new KafkaAsker(broker.getBrokersAsString(), REPLIES, List.of())) {
            kafka.send(Topics.TOOLS_INVOKE, "k", new InvokeToolCommand("req-r", "blocking_write", arguments, "run-r", "1",
                    key, List.of()), TestTokens.token("demo", "alice"));
            assertThat(TestTools.entered.await(60, TimeUnit.SECONDS)).as("the tool started").isTrue();

            first.close(); // mid-call: the tool has written its row and waits

            assertThat(count(EmbeddedPostgres.jdbcUrl(), "select count(*) from test_side_effect where arguments like ?", "%" + key + "%"))
                    .as("the interrupted attempt left no side effect").isZero();

            TestTools.release.countDown(); // the next attempt finishes at once
            ConfigurableApplicationContext second = start(broker);
            try {
                JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                        "select status from tool_call where idempotency_key = ?", String.class, key)).isEqualTo("SUCCEEDED"));
                assertThat(jdbc.queryForObject("select count(*) from test_side_effect where arguments like ?", Integer.class,
                        "%" + key + "%")).isEqualTo(1);
                assertThat(jdbc.queryForObject("select executions from tool_call where idempotency_key = ?", Integer.class, key))
                        .isEqualTo(1);
            } finally {
                second.close();
            }
        }
    }

    private static int count(String url, String sql, Object arg) throws Exception {
        try (var connection = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
             var statement = connection.prepareStatement(sql)) {
            statement.setObject(1, arg);
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
