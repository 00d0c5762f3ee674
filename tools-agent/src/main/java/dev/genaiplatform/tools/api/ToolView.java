package dev.genaiplatform.tools.api;

import dev.genaiplatform.contracts.tools.RiskTier;
import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * A tool as the HTTP API shows it to one caller: what a model needs to call it (name, description, argument
 * schema), its tier and required scopes, and what the policy says for this caller: may call it, needs approval.
 */
record ToolView(String name, String description, JsonNode inputSchema, RiskTier riskTier, List<String> scopes,
                boolean allowed, boolean approvalRequired) {
}
