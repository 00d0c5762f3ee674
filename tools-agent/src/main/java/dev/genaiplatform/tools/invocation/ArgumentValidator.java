package dev.genaiplatform.tools.invocation;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.genaiplatform.tools.registry.PlatformTool;
import dev.genaiplatform.tools.registry.ToolRegistry;
import tools.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a tool's arguments against the JSON schema in its definition before the tool runs, so a tool never
 * sees arguments of the wrong shape, and a model gets messages precise enough to correct its call.
 *
 * <p>Schemas are compiled once, at startup: a broken schema fails the start, not a request. The dialect is
 * JSON Schema 2020-12, whose meta-schemas ship inside the validator (nothing is fetched). Whether extra
 * properties are allowed is each schema's choice ({@code additionalProperties}); the built-in tools say no, so
 * a model that invents a parameter is told instead of silently ignored.
 */
final class ArgumentValidator {

    private final Map<String, Schema> schemasByTool = new HashMap<>();

    ArgumentValidator(ToolRegistry registry) {
        SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        for (PlatformTool tool : registry.all()) {
            Schema schema = schemas.getSchema(tool.getToolDefinition().inputSchema());
            schema.initializeValidators(); // resolve everything now, so a bad schema fails at startup
            schemasByTool.put(tool.name(), schema);
        }
    }

    /**
     * The validator's messages, e.g. {@code required property 'expression' not found} or
     * {@code /expression: integer found, string expected}; empty when valid.
     */
    List<String> violations(PlatformTool tool, JsonNode arguments) {
        return schemasByTool.get(tool.name()).validate(arguments).stream().map(ArgumentValidator::describe).toList();
    }

    /** Where in the arguments (a JSON pointer, nothing for the whole object) and what is wrong. */
    private static String describe(Error error) {
        String location = String.valueOf(error.getInstanceLocation());
        return location.isEmpty() ? error.getMessage() : location + ": " + error.getMessage();
    }
}
