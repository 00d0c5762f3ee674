package dev.genaiplatform.tools.registry;

import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.tools.security.Caller;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;

/**
 * A tool of this platform: Spring AI's {@link ToolCallback} (its {@code ToolDefinition} holds the name, the
 * description a model reads, and the JSON schema of the arguments), plus the risk tier the policy needs, and the
 * caller it acts for.
 *
 * <p>{@link #run(String, Caller)} receives arguments already validated against the schema and returns the result as
 * JSON. It runs inside the ledger's database transaction: a tool whose side effect is a row in this service's
 * database (every write and sensitive tool here) commits it atomically with the ledger entry, which is what makes
 * it exactly-once. It signals a bad argument the schema cannot express with {@link ToolArgumentException}, and a
 * failure while running with Spring AI's {@code ToolExecutionException}; either rolls its writes back.
 */
public interface PlatformTool extends ToolCallback {

    /** Key of the {@link Caller} in the Spring AI {@link ToolContext}. */
    String CALLER = "platform.caller";

    RiskTier riskTier();

    String run(String argumentsJson, Caller caller);

    default String name() {
        return getToolDefinition().name();
    }

    /** Tools run only through the ledger, which supplies the caller; a bare call has no tenant to act for. */
    @Override
    default String call(String toolInput) {
        throw new IllegalStateException("Tool '" + name() + "' needs a caller; run it through the tool call service");
    }

    @Override
    default String call(String toolInput, ToolContext toolContext) {
        Object caller = toolContext == null ? null : toolContext.getContext().get(CALLER);
        if (!(caller instanceof Caller verified)) {
            throw new IllegalStateException("Tool '" + name() + "' needs a caller in its tool context");
        }
        return run(toolInput, verified);
    }
}
