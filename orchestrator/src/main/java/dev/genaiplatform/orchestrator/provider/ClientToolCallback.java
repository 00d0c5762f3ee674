package dev.genaiplatform.orchestrator.provider;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * A tool the client offered in its request. Spring AI learns of a tool through a {@link ToolCallback}, so
 * the client's definition is wrapped in one; but the client runs its own tools, so the platform only
 * hands the definition to the model and returns the model's {@code tool_calls} to the client.
 *
 * <p>{@link #call} is never reached: the providers' chat clients are built without Spring AI's tool-calling
 * advisor (see {@link ChatProvider#chatClient}), which is the only thing that would execute a tool. If it
 * were ever reached, failing loudly is the right answer: running a client's tool here would be a bug.
 */
record ClientToolCallback(ToolDefinition definition) implements ToolCallback {

    @Override
    public ToolDefinition getToolDefinition() {
        return this.definition;
    }

    @Override
    public String call(String toolInput) {
        throw new IllegalStateException("Tool '" + this.definition.name()
                + "' belongs to the client; the platform returns tool calls and never runs them.");
    }
}
