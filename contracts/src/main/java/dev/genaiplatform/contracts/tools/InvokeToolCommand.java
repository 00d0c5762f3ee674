package dev.genaiplatform.contracts.tools;

/**
 * Asks the tools service to run one tool.
 *
 * @param requestId     the chat request (or agent run) this invocation belongs to
 * @param toolName      the registered name of the tool, e.g. {@code calculator}
 * @param argumentsJson the arguments as a JSON object, validated against the tool's schema before it runs
 */
public record InvokeToolCommand(String requestId, String toolName, String argumentsJson) {
}
