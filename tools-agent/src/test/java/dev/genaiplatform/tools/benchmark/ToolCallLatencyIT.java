package dev.genaiplatform.tools.benchmark;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.tools.InvokeToolCommand;
import dev.genaiplatform.contracts.tools.ToolInvokedReply;
import dev.genaiplatform.tools.support.TestTokens;
import dev.genaiplatform.tools.support.ToolsAgentIT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test of speed (nothing here asserts a time): prints the latency of a ledgered call, sequentially, over
 * Kafka request/reply and over HTTP, for the README. Run with {@code -Dbenchmark=true -Dit.test=ToolCallLatencyIT}.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ToolCallLatencyIT extends ToolsAgentIT {

    private static final int WARMUP = 100;
    private static final int CALLS = 500;

    @Test
    void printsTheLatencyOfLedgeredCalls() throws Exception {
        String token = TestTokens.token("demo", "alice");
        measure("kafka calculator (new key)", i -> kafka.ask(Topics.TOOLS_INVOKE, new InvokeToolCommand("b", "calculator",
                "{\"expression\":\"" + i + " * 2\"}", "run-b", "1", "bench:" + UUID.randomUUID(), List.of()), token,
                ToolInvokedReply.class).status().name());
        String replayKey = "bench-replay:" + UUID.randomUUID();
        measure("kafka calculator (replayed key)", i -> kafka.ask(Topics.TOOLS_INVOKE, new InvokeToolCommand("b", "calculator",
                "{\"expression\":\"1 + 1\"}", "run-b", "1", replayKey, List.of()), token, ToolInvokedReply.class).status().name());
        measure("http calculator (new key)", i -> String.valueOf(post("/api/tools/calculator/invocations",
                "{\"expression\":\"" + i + " + 1\"}", token, "Idempotency-Key", "bench-http:" + UUID.randomUUID()).statusCode()));
    }

    private void measure(String label, Call call) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            call.run(i);
        }
        long[] micros = new long[CALLS];
        for (int i = 0; i < CALLS; i++) {
            long started = System.nanoTime();
            String outcome = call.run(i);
            micros[i] = (System.nanoTime() - started) / 1_000;
            assertThat(outcome).isIn("SUCCEEDED", "200");
        }
        Arrays.sort(micros);
        System.out.printf("BENCHMARK %-32s n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms%n", label, CALLS,
                micros[CALLS / 2] / 1000.0, micros[CALLS * 9 / 10] / 1000.0, micros[CALLS * 99 / 100] / 1000.0);
    }

    @FunctionalInterface
    private interface Call {
        String run(int i) throws Exception;
    }
}
