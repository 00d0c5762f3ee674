package dev.genaiplatform.tools.invocation;

import dev.genaiplatform.contracts.tools.InvokeToolCommand;
import dev.genaiplatform.contracts.tools.ToolInvokedReply;
import dev.genaiplatform.contracts.tools.ToolInvokedReply.Status;
import dev.genaiplatform.tools.registry.PlatformTool;
import dev.genaiplatform.tools.registry.ToolArgumentException;
import dev.genaiplatform.tools.registry.ToolPolicy;
import dev.genaiplatform.tools.registry.ToolRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.tool.execution.ToolExecutionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one tool invocation through every gate, in an order that leaks the least:
 * unknown name → UNKNOWN_TOOL; not allowed here → DENIED (before the arguments are even read); arguments not
 * JSON or not matching the schema → INVALID_ARGUMENTS; the tool itself fails → FAILED; else SUCCEEDED.
 *
 * <p>It never throws: every outcome is a reply, so a bad call can neither crash a Kafka listener nor turn
 * into a 500. Unexpected exceptions become FAILED with a generic message; their details go to the log only.
 */
public final class ToolInvoker {

    private static final Logger log = LoggerFactory.getLogger(ToolInvoker.class);

    private final ToolRegistry registry;
    private final ToolPolicy policy;
    private final ArgumentValidator validator;
    private final JsonMapper json;
    private final MeterRegistry meterRegistry;

    public ToolInvoker(ToolRegistry registry, ToolPolicy policy, JsonMapper json, MeterRegistry meterRegistry) {
        this.registry = registry;
        this.policy = policy;
        this.validator = new ArgumentValidator(registry);
        this.json = json;
        this.meterRegistry = meterRegistry;
    }

    public ToolInvokedReply invoke(InvokeToolCommand command) {
        long started = System.nanoTime();
        Optional<PlatformTool> tool = registry.find(command.toolName());
        Outcome outcome = tool.map(found -> run(found, command.argumentsJson()))
                .orElseGet(() -> Outcome.error(Status.UNKNOWN_TOOL, "No tool named '" + command.toolName()
                        + "'. Known tools: " + registry.all().stream().map(PlatformTool::name).toList() + "."));
        long tookNanos = System.nanoTime() - started;
        // tag with the registered name only: arbitrary names from callers would explode the metric's cardinality
        Timer.builder("tools.invocations").description("Tool invocations by tool and outcome")
                .tag("tool", tool.map(PlatformTool::name).orElse("unknown")).tag("status", outcome.status().name())
                .register(meterRegistry).record(tookNanos, TimeUnit.NANOSECONDS);
        return new ToolInvokedReply(command.requestId(), command.toolName(), outcome.status(), outcome.resultJson(),
                outcome.error(), TimeUnit.NANOSECONDS.toMillis(tookNanos));
    }

    private Outcome run(PlatformTool tool, String argumentsJson) {
        Optional<String> denial = policy.denialReason(tool);
        if (denial.isPresent()) {
            return Outcome.error(Status.DENIED, denial.get());
        }
        String input = argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson;
        JsonNode arguments;
        try {
            arguments = json.readTree(input);
        } catch (JacksonException e) {
            return Outcome.error(Status.INVALID_ARGUMENTS, "The arguments are not valid JSON: "
                    + e.getOriginalMessage());
        }
        List<String> violations = validator.violations(tool, arguments);
        if (!violations.isEmpty()) {
            return Outcome.error(Status.INVALID_ARGUMENTS, "The arguments do not match the tool's schema: "
                    + String.join("; ", violations));
        }
        try {
            return new Outcome(Status.SUCCEEDED, tool.call(input), null);
        } catch (ToolArgumentException e) {
            return Outcome.error(Status.INVALID_ARGUMENTS, e.getMessage());
        } catch (ToolExecutionException e) {
            return Outcome.error(Status.FAILED, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Tool {} failed unexpectedly", tool.name(), e);
            return Outcome.error(Status.FAILED, "Tool '" + tool.name() + "' failed unexpectedly.");
        }
    }

    private record Outcome(Status status, String resultJson, String error) {
        static Outcome error(Status status, String error) {
            return new Outcome(status, null, error);
        }
    }
}
