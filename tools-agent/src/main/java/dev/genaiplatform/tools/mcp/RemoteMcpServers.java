package dev.genaiplatform.tools.mcp;

import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.tools.registry.PlatformTool;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Connects to the configured external MCP servers (off unless {@code platform.tools.mcp-servers} names some) and
 * offers their tools as {@link RemoteMcpTool}s. A server that is down at startup is skipped with a warning instead
 * of failing the start (Spring AI's client starter would fail it); its tools appear after the next restart.
 */
public final class RemoteMcpServers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RemoteMcpServers.class);

    /**
     * One external server.
     *
     * @param url           its Streamable HTTP base URL, e.g. {@code http://127.0.0.1:9000}
     * @param endpoint      the MCP path on it (default {@code /mcp})
     * @param authorization the {@code Authorization} header value to send it (its own credential, never ours)
     * @param tier          the tier its tools get (default SENSITIVE)
     * @param timeout       how long a call may take (default 10s)
     */
    public record Server(URI url, String endpoint, String authorization, RiskTier tier, Duration timeout) {
    }

    private final List<McpSyncClient> clients = new ArrayList<>();
    private final List<PlatformTool> tools = new ArrayList<>();

    public RemoteMcpServers(Map<String, Server> servers, JsonMapper json) {
        servers.forEach((name, server) -> {
            HttpRequest.Builder request = HttpRequest.newBuilder();
            if (server.authorization() != null && !server.authorization().isBlank()) {
                request.header("Authorization", server.authorization());
            }
            Duration timeout = server.timeout() == null ? Duration.ofSeconds(10) : server.timeout();
            McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(server.url().toString())
                            .endpoint(server.endpoint() == null ? "/mcp" : server.endpoint()).requestBuilder(request).build())
                    .requestTimeout(timeout).initializationTimeout(timeout).build();
            try {
                client.initialize();
                var offered = client.listTools().tools();
                offered.forEach(tool -> tools.add(new RemoteMcpTool(name, client, tool,
                        server.tier() == null ? RiskTier.SENSITIVE : server.tier(), json)));
                clients.add(client);
                log.info("MCP server {} at {}: {} tools", name, server.url(), offered.size());
            } catch (RuntimeException e) {
                log.warn("MCP server {} at {} is unavailable; its tools are not registered: {}", name, server.url(), e.getMessage());
                client.close();
            }
        });
    }

    public List<PlatformTool> tools() {
        return List.copyOf(tools);
    }

    @Override
    public void close() {
        clients.forEach(McpSyncClient::close);
    }
}
