package dev.genaiplatform.contracts.tools;

import java.time.Instant;

/**
 * One tool call finished one delivery: an audit and observability record, and how an agent run learns the
 * result of a call that completed later (after an approval). Carries the token of the request on whose behalf
 * the tool ran (header {@code platform-auth}).
 *
 * @param callId     the ledger's id of the call
 * @param runId      the agent run, if any
 * @param stepId     its step, if any
 * @param riskTier   the tool's tier (null for an unknown tool)
 * @param attempt    how many times the ledger has seen this key (1 the first time)
 * @param occurredAt when it finished
 * @param outcome    the reply the caller got, result included
 */
public record ToolCalledEvent(String callId, String runId, String stepId, RiskTier riskTier, int attempt,
                              Instant occurredAt, ToolInvokedReply outcome) {
}
