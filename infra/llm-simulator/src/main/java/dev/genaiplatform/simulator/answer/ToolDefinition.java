package dev.genaiplatform.simulator.answer;

import tools.jackson.databind.JsonNode;

/**
 * A function the client offers the model ({@code tools[i].function}).
 *
 * @param name        the function's name, what a tool call names
 * @param description what it does, in the client's words (may be empty); the lexical rule matches on it
 * @param parameters  the JSON schema of its arguments, an object schema; an empty object when absent
 */
public record ToolDefinition(String name, String description, JsonNode parameters) {

    /**
     * Throws {@link UnsupportedSchemaException} when no arguments can be written for these parameters (a
     * schema that nests without end, a broken reference, bounds nothing meets). Keywords the simulator does
     * not honour are tolerated here: a tool schema only guides the arguments, the client validates them.
     */
    public static void checkParameters(JsonNode parameters) {
        SchemaInstanceWriter.tryWrite(parameters, true);
    }
}
