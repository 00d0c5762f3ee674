package dev.genaiplatform.orchestrator.agent;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Agent runs ({@code platform.orchestrator.agent.*}).
 *
 * @param toolsUrl            tools-agent's HTTP base, for {@code GET /api/tools} (the definitions offered to the model)
 * @param toolTimeout         how long one tool call waits for tools-agent's reply before reconciling
 * @param reconcileAttempts   how many times a call whose outcome is unknown is reconciled (and, if never executed,
 *                            resent with the same key) before the run fails
 * @param reconcileBackoff    the wait before asking again about a call that is still in progress
 * @param defaultMaxSteps     model calls a run may make when the request names no limit
 * @param maxStepsCap         the most any request may ask for
 * @param defaultMaxTokens    model tokens (prompt + completion, all steps) when the request names no limit
 * @param defaultMaxCostUsd   model cost in USD when the request names no limit
 * @param defaultMaxWallTime  working time when the request names no limit (waiting for a human does not count)
 * @param maxWallTimeCap      the most any request may ask for
 * @param systemTemplate      the agent's system prompt
 * @param eventsPollInterval  how often an open event stream looks for new steps in the database
 */
@ConfigurationProperties("platform.orchestrator.agent")
public record AgentSettings(String toolsUrl, Duration toolTimeout, int reconcileAttempts, Duration reconcileBackoff,
                            int defaultMaxSteps, int maxStepsCap, int defaultMaxTokens, BigDecimal defaultMaxCostUsd,
                            Duration defaultMaxWallTime, Duration maxWallTimeCap, Resource systemTemplate,
                            Duration eventsPollInterval) {
}
