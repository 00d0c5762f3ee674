package dev.genaiplatform.contracts.tools;

import java.util.List;

/**
 * Asks the tools service to run one tool. The caller's tenant, key scopes and user come from the internal token in
 * the record header {@code platform-auth}, never from this payload.
 *
 * @param requestId      the chat request (or agent run step) this invocation belongs to
 * @param toolName       the registered name of the tool, e.g. {@code calculator}
 * @param argumentsJson  the arguments as a JSON object, validated against the tool's schema before it runs
 * @param runId          the agent run asking, if any (for the ledger, events and approvals)
 * @param stepId         the step of that run, if any
 * @param idempotencyKey the caller's key for this call: a redelivery, retry or resume with the same key never runs
 *                       the tool twice and gets the first outcome back. Unique per tenant. Null: a fresh key per
 *                       command (no deduplication). Convention for agent runs: {@code <runId>:<stepId>:<toolCallId>}
 * @param provenance     where the instruction to make this call came from (the user's message, a tool result, a
 *                       retrieved document), as the caller knows it; shown to the human who approves. May be empty
 */
public record InvokeToolCommand(String requestId, String toolName, String argumentsJson, String runId, String stepId,
                                String idempotencyKey, List<InstructionSource> provenance) {

    /** A single call outside any agent run, without an idempotency key. */
    public InvokeToolCommand(String requestId, String toolName, String argumentsJson) {
        this(requestId, toolName, argumentsJson, null, null, null, List.of());
    }
}
