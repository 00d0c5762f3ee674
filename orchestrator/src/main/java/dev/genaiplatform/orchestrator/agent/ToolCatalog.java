package dev.genaiplatform.orchestrator.agent;

import dev.genaiplatform.orchestrator.messaging.DependencyUnavailableException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tools a caller may offer to a model, as tools-agent's policy sees that caller: {@code GET /api/tools} with
 * the caller's own token. The orchestrator keeps only the definitions (name, description, schema); the policy,
 * the credentials and the execution stay in tools-agent.
 */
class ToolCatalog {

    /** A listed tool: its definition, and whether this caller's policy lets it call it. */
    record Listed(AgentRun.ToolSpec spec, boolean allowed, boolean approvalRequired) {
    }

    private final RestClient http;

    ToolCatalog(RestClient.Builder builder, String toolsUrl) {
        this.http = builder.baseUrl(toolsUrl).build();
    }

    Map<String, Listed> list(String token) {
        JsonNode tools;
        try {
            tools = this.http.get().uri("/api/tools")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .retrieve()
                    .body(JsonNode.class);
        }
        catch (RestClientException ex) {
            throw new DependencyUnavailableException("tools-agent", "tools-agent could not list the tools: "
                    + ex.getMessage(), ex);
        }
        Map<String, Listed> byName = new LinkedHashMap<>();
        if (tools != null) {
            for (JsonNode tool : tools) {
                JsonNode schema = tool.path("inputSchema");
                String schemaText = schema.isString() ? schema.asString() : schema.toString();
                byName.put(tool.path("name").asString(), new Listed(
                        new AgentRun.ToolSpec(tool.path("name").asString(), tool.path("description").asString(""),
                                schemaText),
                        tool.path("allowed").asBoolean(true), tool.path("approvalRequired").asBoolean(false)));
            }
        }
        return byName;
    }
}
