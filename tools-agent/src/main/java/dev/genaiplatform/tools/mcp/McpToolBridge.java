package dev.genaiplatform.tools.mcp;

import dev.genaiplatform.contracts.tools.InvokeToolCommand;
import dev.genaiplatform.contracts.tools.ToolInvokedReply;
import dev.genaiplatform.contracts.tools.ToolInvokedReply.Status;
import dev.genaiplatform.tools.invocation.ToolCallService;
import dev.genaiplatform.tools.registry.PlatformTool;
import dev.genaiplatform.tools.registry.ToolRegistry;
import dev.genaiplatform.tools.security.Caller;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tools as an MCP server ({@code /api/tools/mcp}, Streamable HTTP): every registered tool is listed with its schema, and
 * every call goes through {@link ToolCallService}, so MCP clients get the same policy, ledger and approvals as
 * Kafka and HTTP. The caller is the bearer token Spring Security verified on the MCP request (the MCP
 * server runs tool handlers on the request thread, so the security context is there). A client may pass an
 * idempotency key in the call's {@code _meta.idempotencyKey}.
 *
 * <p>A call that did not succeed is an MCP tool error ({@code isError: true}) whose text says why; one that waits
 * for a human says so and names the approval id.
 */
public final class McpToolBridge {

    /** Key in a call's {@code _meta} that carries the idempotency key. */
    public static final String IDEMPOTENCY_KEY_META = "idempotencyKey";

    private final ToolRegistry registry;
    private final ToolCallService calls;
    private final JsonMapper json;

    public McpToolBridge(ToolRegistry registry, ToolCallService calls, JsonMapper json) {
        this.registry = registry;
        this.calls = calls;
        this.json = json;
    }

    public List<SyncToolSpecification> specifications() {
        return registry.all().stream().map(this::specification).toList();
    }

    private SyncToolSpecification specification(PlatformTool tool) {
        Map<String, Object> schema = json.readValue(tool.getToolDefinition().inputSchema(), new TypeReference<>() {
        });
        McpSchema.Tool definition = McpSchema.Tool.builder().name(tool.name())
                .description(tool.getToolDefinition().description()).inputSchema(schema).build();
        return SyncToolSpecification.builder().tool(definition)
                .callHandler((exchange, request) -> call(tool, request)).build();
    }

    private McpSchema.CallToolResult call(PlatformTool tool, McpSchema.CallToolRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof JwtAuthenticationToken jwt)) {
            return error("No verified internal token on this MCP request.");
        }
        Object key = request.meta() == null ? null : request.meta().get(IDEMPOTENCY_KEY_META);
        String arguments = json.writeValueAsString(request.arguments() == null ? Map.of() : request.arguments());
        ToolInvokedReply reply;
        try {
            reply = calls.invoke(new InvokeToolCommand("mcp-" + UUID.randomUUID(), tool.name(), arguments, null, null,
                    key == null ? null : key.toString(), List.of()), Caller.of(jwt.getToken()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("The service is stopping; call again with the same idempotency key.");
        }
        if (reply.status() == Status.SUCCEEDED) {
            return McpSchema.CallToolResult.builder().addTextContent(reply.resultJson()).isError(false)
                    .meta(Map.of("callId", reply.callId(), "replayed", reply.replayed())).build();
        }
        String text = reply.status() + ": " + reply.error();
        return McpSchema.CallToolResult.builder().addTextContent(text).isError(true)
                .meta(reply.approvalId() == null ? Map.of("status", reply.status().name())
                        : Map.of("status", reply.status().name(), "approvalId", reply.approvalId()))
                .build();
    }

    private static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
