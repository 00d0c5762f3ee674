package dev.genaiplatform.simulator;

import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;

import java.util.List;

/** An independent judge of structured output: the networknt validator, JSON Schema 2020-12. */
public final class JsonSchemas {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private JsonSchemas() {
    }

    /** The validator's complaints about {@code instance}; empty when it is valid. */
    public static List<String> violations(JsonNode schema, JsonNode instance) {
        return REGISTRY.getSchema(schema).validate(instance).stream().map(String::valueOf).toList();
    }
}
