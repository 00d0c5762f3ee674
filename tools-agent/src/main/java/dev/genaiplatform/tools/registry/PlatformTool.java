package dev.genaiplatform.tools.registry;

import org.springframework.ai.tool.ToolCallback;

/**
 * A tool of this platform: Spring AI's {@link ToolCallback} (its {@code ToolDefinition} holds the name, the
 * description a model reads, and the JSON schema of the arguments), plus the risk level least privilege needs.
 * Because it is a {@code ToolCallback}, the same object can be handed to a Spring AI {@code ChatClient}.
 *
 * <p>{@link #call(String)} receives arguments already validated against the schema and returns the result
 * as JSON. It signals a bad argument the schema cannot express with {@link ToolArgumentException}, and a
 * failure while running with Spring AI's {@code ToolExecutionException}.
 */
public interface PlatformTool extends ToolCallback {

    RiskLevel riskLevel();

    default String name() {
        return getToolDefinition().name();
    }
}
