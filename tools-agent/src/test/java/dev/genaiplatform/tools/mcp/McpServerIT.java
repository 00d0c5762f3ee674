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
                .endpoint("/api/tools/mcp").requestBuilder(request).build();
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

    /**
     * A second service, configured with this one as an external MCP server (and one that is down), offers the
     * remote tools as {@code self__<tool>} under its own policy and ledger; the remote side still applies its own.
     */
    @Test
    void toolsOfAConfiguredExternalMcpServerRunUnderThisServicesPolicyAndLedger() throws Exception {
        String credential = TestTokens.builder("demo", "mcp-bridge").expiresAt(java.time.Instant.now().plusSeconds(3600)).sign();
        try (var bridge = new org.springframework.boot.builder.SpringApplicationBuilder(
                dev.genaiplatform.tools.ToolsAgentApplication.class, dev.genaiplatform.tools.support.TestSecurity.class)
                .run("--server.port=0", "--management.server.port=0", "--logging.level.org.apache.kafka=warn",
                        "--spring.kafka.bootstrap-servers=" + bootstrapServers, "--spring.kafka.listener.auto-startup=false",
                        "--spring.datasource.url=" + dev.genaiplatform.tools.support.EmbeddedPostgres.jdbcUrl(),
                        "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                        "--platform.tools.mcp-servers.self.url=http://127.0.0.1:" + port,
                        "--platform.tools.mcp-servers.self.endpoint=/api/tools/mcp",
                        "--platform.tools.mcp-servers.self.authorization=Bearer " + credential,
                        "--platform.tools.mcp-servers.self.tier=READ",
                        "--platform.tools.mcp-servers.down.url=http://127.0.0.1:1",
                        "--platform.tools.mcp-servers.down.timeout=2s")) {
            int bridgePort = bridge.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            String alice = TestTokens.token("demo", "alice");
            String base = "http://127.0.0.1:" + bridgePort + "/api/tools";

            var list = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base))
                    .header("Authorization", "Bearer " + alice).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(list.body()).contains("\"self__calculator\"").contains("\"self__send_email\"").doesNotContain("down__");

            String key = "bridge-" + UUID.randomUUID();
            var sum = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/self__calculator/invocations"))
                    .header("Authorization", "Bearer " + alice).header("Content-Type", "application/json").header("Idempotency-Key", key)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"expression\":\"6 * 7\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(sum.statusCode()).isEqualTo(200);
            assertThat(sum.body()).contains("42");
            assertThat(count("select count(*) from tool_call where idempotency_key = ? and tool_name = 'self__calculator'", key)).isEqualTo(1);

            // the remote server's own policy still holds: its send_email waits for a human there, so nothing is sent
            String subject = "Bridged " + UUID.randomUUID();
            var mail = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/self__send_email/invocations"))
                    .header("Authorization", "Bearer " + alice).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"to\":[\"a@b.example\"],\"subject\":\""
                            + subject + "\",\"body\":\"b\"}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(mail.statusCode()).isEqualTo(422);
            assertThat(mail.body()).contains("PENDING_APPROVAL");
            assertThat(count("select count(*) from email_outbox where subject = ?", subject)).isZero();
        }
    }

    @Test
    void anMcpClientWithoutAValidTokenCannotEvenConnect() {
        assertThatThrownBy(() -> client(null)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> client(TestTokens.builder("demo", "alice").signedBy(TestTokens.STRANGER_KEY).sign()))
                .isInstanceOf(RuntimeException.class);
    }
}
