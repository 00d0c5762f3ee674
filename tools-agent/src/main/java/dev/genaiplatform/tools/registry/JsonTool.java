package dev.genaiplatform.tools.registry;

import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.tools.security.Caller;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A tool whose schema lives in {@code src/main/resources/tools/<name>.input-schema.json} and whose body works on
 * the parsed arguments and returns a JSON tree.
 */
public abstract class JsonTool implements PlatformTool {

    protected final JsonMapper json;
    private final ToolDefinition definition;
    private final RiskTier tier;

    protected JsonTool(JsonMapper json, String name, RiskTier tier, String description) {
        this.json = json;
        this.tier = tier;
        this.definition = ToolDefinition.builder().name(name).description(description)
                .inputSchema(schema(name)).build();
    }

    protected abstract JsonNode run(JsonNode arguments, Caller caller);

    @Override
    public final String run(String argumentsJson, Caller caller) {
        return json.writeValueAsString(run(json.readTree(argumentsJson), caller));
    }

    @Override
    public ToolDefinition getToolDefinition() {
        return definition;
    }

    @Override
    public RiskTier riskTier() {
        return tier;
    }

    /** The end user the call acts for; tools that touch personal data refuse a call without one. */
    protected static String requireUser(Caller caller) {
        if (caller.user() == null || caller.user().isBlank()) {
            throw new ToolArgumentException("This tool acts for an end user, and the request names none (claim 'usr').");
        }
        return caller.user();
    }

    protected static String text(JsonNode arguments, String field, String fallback) {
        JsonNode value = arguments.get(field);
        return value == null || value.isNull() ? fallback : value.asString();
    }

    private static String schema(String name) {
        try (var in = new ClassPathResource("tools/" + name + ".input-schema.json").getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Missing schema for tool " + name, e);
        }
    }
}
