package dev.genaiplatform.contracts.guardrails;

/**
 * A tool offered to the model, as guardrails sees it: every part of it is text the model will read.
 *
 * @param name             the function name
 * @param description      the description the model reads, null when none
 * @param parametersSchema the JSON schema of the arguments, as text; null when none
 */
public record ToolDefinition(String name, String description, String parametersSchema) {
}
