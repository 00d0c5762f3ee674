package dev.genaiplatform.contracts.tools;

/**
 * The outcome of an {@link InvokeToolCommand}: exactly one of {@code resultJson} and {@code error} is set.
 *
 * @param requestId  the request this invocation belongs to
 * @param toolName   the tool that was asked for
 * @param status     whether it ran, and if not, why
 * @param resultJson the tool's result as JSON when it succeeded
 * @param error      a message fit to show a model or a user when it did not
 * @param tookMillis time the tool took
 */
public record ToolInvokedReply(String requestId, String toolName, Status status, String resultJson, String error,
                               long tookMillis) {

    public enum Status {
        SUCCEEDED,
        /** No tool of that name is registered. */
        UNKNOWN_TOOL,
        /** The arguments do not satisfy the tool's JSON schema. */
        INVALID_ARGUMENTS,
        /** The tool ran and failed (e.g. division by zero). */
        FAILED,
        /** The caller may not run a tool of this risk level. */
        DENIED
    }
}
