package dev.genaiplatform.simulator.model;

/**
 * A function call the model asked for, as OpenAI's {@code tool_calls} items carry it.
 *
 * @param id        the call's id ({@code call_...}); a {@code tool} message answers it by this id
 * @param name      the function to call
 * @param arguments the arguments as a JSON text, exactly as sent on the wire
 */
public record ToolCall(String id, String name, String arguments) {
}
