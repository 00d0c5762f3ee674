package dev.genaiplatform.tools;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

import dev.genaiplatform.tools.mcp.RemoteMcpServers;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of the tools service, under {@code platform.tools}.
 *
 * @param policyLocation  {@code platform.tools.policy-location} (env {@code TOOLS_POLICY_LOCATION}): the policy file,
 *                        default {@code classpath:tool-policy.yml}; e.g. {@code file:/etc/genai/tool-policy.yml}
 * @param timeout         {@code platform.tools.timeout} (env {@code TOOLS_TIMEOUT}): longest a tool may run before it is
 *                        cancelled and rolled back (TIMED_OUT). Default 10s
 * @param lockWait        {@code platform.tools.lock-wait}: how long a repeated delivery waits for a running attempt of
 *                        the same key before answering IN_PROGRESS. Default 2s
 * @param approvalTtl     {@code platform.tools.approval-ttl} (env {@code TOOLS_APPROVAL_TTL}): how long a parked call
 *                        waits for a human before it expires. Default 1h
 * @param sweepInterval   {@code platform.tools.sweep-interval}: how often approved-but-not-run calls (left by a crash)
 *                        are run and unanswered approvals expired. Default 30s
 * @param retrievalTimeout {@code platform.tools.retrieval-timeout}: how long search_documents waits for retrieval. Default 5s
 * @param mcpServers      {@code platform.tools.mcp-servers.<name>.*}: external MCP servers whose tools are offered here
 *                        as {@code <name>__<tool>}, under the same policy and ledger (url, endpoint, authorization, tier,
 *                        timeout). Default none
 * @param holdBeforeCommit {@code platform.tools.hold-before-commit.[<tool>]}: fault injection for crash tests only.
 *                        The named tool's attempt waits this long after its side effect is written and before it
 *                        commits, so a test can kill a process while the call is deterministically in flight
 *                        (infra/launcher's AgentKillMidCallIT). Keep it below {@code timeout}. Default none; a
 *                        service with a hold logs a warning at start-up
 */
@ConfigurationProperties("platform.tools")
record ToolsAgentProperties(@DefaultValue("classpath:tool-policy.yml") Resource policyLocation,
                            @DefaultValue("10s") Duration timeout,
                            @DefaultValue("2s") Duration lockWait,
                            @DefaultValue("1h") Duration approvalTtl,
                            @DefaultValue("30s") Duration sweepInterval,
                            @DefaultValue("5s") Duration retrievalTimeout,
                            Map<String, RemoteMcpServers.Server> mcpServers,
                            Map<String, Duration> holdBeforeCommit) {

    ToolsAgentProperties {
        mcpServers = mcpServers == null ? Map.of() : Map.copyOf(mcpServers);
        holdBeforeCommit = holdBeforeCommit == null ? Map.of() : Map.copyOf(holdBeforeCommit);
    }
}
