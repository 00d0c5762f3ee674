package dev.genaiplatform.tools.mcp;

import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.tools.registry.PlatformTool;
import dev.genaiplatform.tools.security.Caller;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.ToolExecutionException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/**
 * A tool of an external MCP server, registered here as {@code <server>__<tool>} so the policy, the ledger and
 * approvals apply to it like to any local tool. Its tier comes from configuration (default SENSITIVE: a remote
 * tool's effects are unknown). The caller's internal token is never forwarded: the server gets only the
 * credentials configured for it.
 *
 * <p>Its side effect happens on the remote server, outside this service's transaction: the ledger still records
 * one outcome per key and replays it, but a crash after the remote call and before the commit would call it again
 * on redelivery (at-least-once), unless the remote server deduplicates.
 */
final class RemoteMcpTool implements PlatformTool {

    static final String SEPARATOR = "__";

    private final McpSyncClient client;
    private final String remoteName;
    private final ToolDefinition definition;
    private final RiskTier tier;
    private final JsonMapper json;

    RemoteMcpTool(String server, McpSyncClient client, McpSchema.Tool tool, RiskTier tier, JsonMapper json) {
        this.client = client;
        this.remoteName = tool.name();
        this.tier = tier;
        this.json = json;
        this.definition = ToolDefinition.builder().name(server + SEPARATOR + tool.name())
                .description(tool.description() == null ? "Tool " + tool.name() + " of MCP server " + server : tool.description())
                .inputSchema(json.writeValueAsString(tool.inputSchema() == null ? Map.of("type", "object") : tool.inputSchema()))
                .build();
    }

    @Override
    public RiskTier riskTier() {
        return tier;
    }

    @Override
    public ToolDefinition getToolDefinition() {
        return definition;
    }

    @Override
    public String run(String argumentsJson, Caller caller) {
        Map<String, Object> arguments = json.readValue(argumentsJson, new TypeReference<>() {
        });
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(remoteName, arguments));
        String text = result.content() == null ? "" : String.join("\n", result.content().stream()
                .filter(McpSchema.TextContent.class::isInstance).map(c -> ((McpSchema.TextContent) c).text()).toList());
        if (Boolean.TRUE.equals(result.isError())) {
            throw new ToolExecutionException(definition, new IllegalStateException("The MCP server answered an error: " + text));
        }
        if (result.structuredContent() != null) {
            return json.writeValueAsString(result.structuredContent());
        }
        return json.writeValueAsString(json.createObjectNode().put("text", text));
    }
}
