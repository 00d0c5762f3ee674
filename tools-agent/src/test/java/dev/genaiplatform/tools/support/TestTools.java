package dev.genaiplatform.tools.support;

import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.tools.registry.PlatformTool;
import dev.genaiplatform.tools.security.Caller;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Misbehaving tools for the bad-input tests, each writing a row to {@code test_side_effect} first so a test can
 * count side effects: one that hangs until interrupted, one that returns garbage, and one that blocks on a latch
 * (to stop the service in the middle of a call).
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestTools {

    public static final String SIDE_EFFECT_TABLE = "create table if not exists test_side_effect (tool text, tenant text, arguments text)";

    /** Released by a test to let {@code blocking_write} finish. */
    public static volatile CountDownLatch release = new CountDownLatch(1);
    /** Counted down each time {@code blocking_write} has written its row and waits. */
    public static volatile CountDownLatch entered = new CountDownLatch(1);

    @Bean
    PlatformTool hangingWrite(JdbcTemplate jdbc) {
        return tool("hanging_write", jdbc, () -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted", e);
            }
            return "{}";
        });
    }

    @Bean
    PlatformTool garbageWrite(JdbcTemplate jdbc) {
        return tool("garbage_write", jdbc, () -> "<html>not json</html>");
    }

    @Bean
    PlatformTool blockingWrite(JdbcTemplate jdbc) {
        return tool("blocking_write", jdbc, () -> {
            entered.countDown();
            try {
                if (!release.await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted", e);
            }
            return "{\"done\":true}";
        });
    }

    private static PlatformTool tool(String name, JdbcTemplate jdbc, java.util.function.Supplier<String> body) {
        ToolDefinition definition = ToolDefinition.builder().name(name).description("test tool " + name)
                .inputSchema("{\"type\":\"object\"}").build();
        return new PlatformTool() {
            @Override
            public RiskTier riskTier() {
                return RiskTier.WRITE;
            }

            @Override
            public String run(String argumentsJson, Caller caller) {
                jdbc.update("insert into test_side_effect values (?, ?, ?)", name, caller.tenant(), argumentsJson);
                return body.get();
            }

            @Override
            public ToolDefinition getToolDefinition() {
                return definition;
            }
        };
    }
}
