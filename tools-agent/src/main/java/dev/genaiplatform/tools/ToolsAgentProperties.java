package dev.genaiplatform.tools;

import dev.genaiplatform.tools.registry.RiskLevel;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * Least-privilege settings of the tools service, under {@code platform.tools}.
 *
 * @param maxRisk {@code platform.tools.max-risk} (env {@code TOOLS_MAX_RISK}): the highest risk level any tool
 *                may have to run here: {@code LOW}, {@code MEDIUM} or {@code HIGH}. Default {@code LOW}
 *                (side-effect-free tools only). A tool above it is answered with status DENIED.
 * @param granted {@code platform.tools.granted} (env {@code TOOLS_GRANTED}, comma-separated): names of tools
 *                allowed to run even above {@code max-risk}. Default empty. This grants one risky tool by name
 *                without raising the ceiling for every other tool.
 */
@ConfigurationProperties("platform.tools")
record ToolsAgentProperties(@DefaultValue("LOW") RiskLevel maxRisk, @DefaultValue List<String> granted) {
}
