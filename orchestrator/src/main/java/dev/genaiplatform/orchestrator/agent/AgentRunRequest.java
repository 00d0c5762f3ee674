package dev.genaiplatform.orchestrator.agent;

import java.math.BigDecimal;
import java.util.List;

/**
 * {@code POST /api/agent/runs}.
 *
 * @param goal     what the agent should achieve, in the user's words
 * @param messages earlier conversation (role {@code user} or {@code assistant}), oldest first; may be empty
 * @param tools    the tool names (as tools-agent lists them) the run may use; empty: one direct model call
 * @param model    a model name the key may use, or {@code auto}
 * @param limits   the run's budget; missing fields take the configured defaults
 */
public record AgentRunRequest(String goal, List<Message> messages, List<String> tools, String model, Limits limits) {

    public record Message(String role, String content) {
    }

    /**
     * @param maxSteps        model calls
     * @param maxTokens       prompt + completion tokens over all model calls
     * @param maxCostUsd      model cost
     * @param maxWallSeconds  working time (waiting for a human does not count)
     */
    public record Limits(Integer maxSteps, Integer maxTokens, BigDecimal maxCostUsd, Integer maxWallSeconds) {
    }
}
