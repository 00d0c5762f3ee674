package dev.genaiplatform.tools.api;

import dev.genaiplatform.tools.registry.PlatformTool;
import dev.genaiplatform.tools.registry.RiskLevel;
import tools.jackson.databind.JsonNode;

/**
 * A tool as the HTTP API shows it: what a model needs to call it (name, description, argument schema), plus
 * its risk level and whether this deployment lets it run.
 */
record ToolView(String name, String description, JsonNode inputSchema, RiskLevel riskLevel, boolean allowed) {

    static ToolView of(PlatformTool tool, JsonNode inputSchema, boolean allowed) {
        return new ToolView(tool.name(), tool.getToolDefinition().description(), inputSchema, tool.riskLevel(), allowed);
    }
}
