package dev.genaiplatform.tools.invocation;

import dev.genaiplatform.contracts.tools.InvokeToolCommand;
import dev.genaiplatform.contracts.tools.ToolInvokedReply;
import dev.genaiplatform.contracts.tools.ToolInvokedReply.Status;
import dev.genaiplatform.tools.calculator.CalculatorTool;
import dev.genaiplatform.tools.registry.FakeTool;
import dev.genaiplatform.tools.registry.RiskLevel;
import dev.genaiplatform.tools.registry.ToolPolicy;
import dev.genaiplatform.tools.registry.ToolRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ToolInvokerTests {

    private final JsonMapper json = JsonMapper.builder().build();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final FakeTool sendEmail = FakeTool.of("send-email", RiskLevel.HIGH);
    private final FakeTool broken = new FakeTool("broken", "{\"type\":\"object\"}", RiskLevel.LOW, input -> {
        throw new IllegalStateException("connection string jdbc:secret");
    });
    private final ToolInvoker invoker = new ToolInvoker(
            new ToolRegistry(List.of(new CalculatorTool(json), sendEmail, broken)),
            new ToolPolicy(RiskLevel.LOW, List.of()), json, meters);

    @Test
    void runsTheCalculatorAndReturnsItsResult() {
        ToolInvokedReply reply = invoke("calculator", "{\"expression\":\"(2 + 3) * 4\"}");

        assertThat(reply.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(reply.resultJson()).isEqualTo("{\"expression\":\"(2 + 3) * 4\",\"value\":20}");
        assertThat(reply.error()).isNull();
        assertThat(reply.requestId()).isEqualTo("req-1");
        assertThat(reply.toolName()).isEqualTo("calculator");
    }

    @Test
    void reportsAMissingRequiredArgumentWithTheValidatorsMessage() {
        ToolInvokedReply reply = invoke("calculator", "{}");

        assertThat(reply.status()).isEqualTo(Status.INVALID_ARGUMENTS);
        assertThat(reply.error()).contains("schema").contains("expression");
        assertThat(reply.resultJson()).isNull();
    }

    @Test
    void reportsAnArgumentOfTheWrongType() {
        assertThat(invoke("calculator", "{\"expression\": 42}"))
                .satisfies(reply -> assertThat(reply.status()).isEqualTo(Status.INVALID_ARGUMENTS))
                .satisfies(reply -> assertThat(reply.error()).contains("expression").contains("string"));
    }

    @Test
    void rejectsPropertiesTheSchemaDoesNotDeclare() {
        ToolInvokedReply reply = invoke("calculator", "{\"expression\":\"1+1\",\"precision\":2}");

        assertThat(reply.status()).isEqualTo(Status.INVALID_ARGUMENTS);
        assertThat(reply.error()).contains("precision");
    }

    @Test
    void rejectsArgumentsThatAreNotJsonOrNotAnObject() {
        assertThat(invoke("calculator", "{\"expression\": ").status()).isEqualTo(Status.INVALID_ARGUMENTS);
        assertThat(invoke("calculator", "{\"expression\": \"1\"} trailing").status()).isEqualTo(Status.INVALID_ARGUMENTS);
        assertThat(invoke("calculator", "[\"1+1\"]").status()).isEqualTo(Status.INVALID_ARGUMENTS);
        assertThat(invoke("calculator", null).status()).isEqualTo(Status.INVALID_ARGUMENTS);
    }

    @Test
    void passesTheToolsOwnArgumentErrorsBackAsInvalidArguments() {
        ToolInvokedReply reply = invoke("calculator", "{\"expression\":\"java.lang.Runtime.getRuntime()\"}");

        assertThat(reply.status()).isEqualTo(Status.INVALID_ARGUMENTS);
        assertThat(reply.error()).contains("'java' is not allowed");
    }

    @Test
    void reportsAFailedComputationAsFailed() {
        ToolInvokedReply reply = invoke("calculator", "{\"expression\":\"1 / 0\"}");

        assertThat(reply.status()).isEqualTo(Status.FAILED);
        assertThat(reply.error()).isEqualTo("Division by zero.");
    }

    @Test
    void answersUnknownToolWithTheNamesItKnows() {
        ToolInvokedReply reply = invoke("rm", "{}");

        assertThat(reply.status()).isEqualTo(Status.UNKNOWN_TOOL);
        assertThat(reply.error()).contains("'rm'").contains("calculator");
    }

    @Test
    void deniesAToolAboveTheRiskCeilingWithoutRunningIt() {
        ToolInvokedReply reply = invoke("send-email", "not even json");

        assertThat(reply.status()).isEqualTo(Status.DENIED);
        assertThat(reply.error()).contains("HIGH");
        assertThat(sendEmail.calls()).isZero();
    }

    @Test
    void turnsAnUnexpectedExceptionIntoFailedWithoutLeakingItsMessage() {
        ToolInvokedReply reply = invoke("broken", "{}");

        assertThat(reply.status()).isEqualTo(Status.FAILED);
        assertThat(reply.error()).isEqualTo("Tool 'broken' failed unexpectedly.").doesNotContain("jdbc");
    }

    @Test
    void timesEveryInvocationByToolAndStatusWithUnknownNamesFoldedIntoOneTag() {
        invoke("calculator", "{\"expression\":\"1\"}");
        invoke("no-such-tool-1", "{}");
        invoke("no-such-tool-2", "{}");

        assertThat(meters.get("tools.invocations").tag("tool", "calculator").tag("status", "SUCCEEDED").timer().count())
                .isEqualTo(1);
        assertThat(meters.get("tools.invocations").tag("tool", "unknown").tag("status", "UNKNOWN_TOOL").timer().count())
                .isEqualTo(2);
    }

    private ToolInvokedReply invoke(String tool, String arguments) {
        return invoker.invoke(new InvokeToolCommand("req-1", tool, arguments));
    }
}
