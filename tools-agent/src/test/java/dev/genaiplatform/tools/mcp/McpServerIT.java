package dev.genaiplatform.tools.mcp;

import dev.genaiplatform.tools.support.TestTokens;
import dev.genaiplatform.tools.support.ToolsAgentIT;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real MCP client (the MCP Java SDK's, Streamable HTTP) lists and calls the tools, under the same policy and ledger. */
class McpServerIT extends ToolsAgentIT {

    private McpSyncClient client(String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                .endpoint("/mcp").requestBuilder(request).build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        client.initialize();
        return client;
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }

    @Test
    void listsEveryToolWithItsSchemaAndCallsOneThroughTheLedger() {
        try (McpSyncClient client = client(TestTokens.token("demo", "alice"))) {
            var tools = client.listTools().tools();
            assertThat(tools).extracting(McpSchema.Tool::name).contains("calculator", "send_email", "schedule_meeting", "search_documents");
            assertThat(tools.stream().filter(t -> t.name().equals("calculator")).findFirst().orElseThrow()
                    .inputSchema().get("required")).isEqualTo(java.util.List.of("expression"));

            String key = "mcp-" + UUID.randomUUID();
            var request = new McpSchema.CallToolRequest("calculator", Map.of("expression", "6 * 7"), Map.of("idempotencyKey", key));
            McpSchema.CallToolResult result = client.callTool(request);
            assertThat(result.isError()).isFalse();
            assertThat(text(result)).contains("\"value\":42");
            assertThat(client.callTool(request).meta()).containsEntry("replayed", true);
            assertThat(count("select count(*) from tool_call where idempotency_key = ? and tenant = 'demo'", key)).isEqualTo(1);
        }
    }

    @Test
    void aSensitiveToolCalledOverMcpWaitsForApprovalAndPolicyDenialsAreToolErrors() {
        try (McpSyncClient demo = client(TestTokens.token("demo", "alice"));
             McpSyncClient other = client(TestTokens.token("other", "olga"))) {
            String subject = "MCP " + UUID.randomUUID();
            McpSchema.CallToolResult parked = demo.callTool(new McpSchema.CallToolRequest("send_email",
                    Map.of("to", java.util.List.of("ops@example.com"), "subject", subject, "body", "hello")));
            assertThat(parked.isError()).isTrue();
            assertThat(text(parked)).startsWith("PENDING_APPROVAL");
            assertThat(parked.meta()).containsKey("approvalId");
            assertThat(count("select count(*) from email_outbox where subject = ?", subject)).isZero();

            McpSchema.CallToolResult denied = other.callTool(new McpSchema.CallToolRequest("send_email",
                    Map.of("to", java.util.List.of("ops@example.com"), "subject", subject, "body", "hello")));
            assertThat(text(denied)).startsWith("DENIED");
        }
    }

    @Test
    void anMcpClientWithoutAValidTokenCannotEvenConnect() {
        assertThatThrownBy(() -> client(null)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> client(TestTokens.builder("demo", "alice").signedBy(TestTokens.STRANGER_KEY).sign()))
                .isInstanceOf(RuntimeException.class);
    }
}
