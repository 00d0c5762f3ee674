package dev.genaiplatform.contracts.guardrails;

/**
 * A tool call an assistant message made, as guardrails sees it.
 *
 * @param id        the call id
 * @param name      the function name
 * @param arguments the arguments as the JSON text the model produced
 */
public record ToolCall(String id, String name, String arguments) {
}
