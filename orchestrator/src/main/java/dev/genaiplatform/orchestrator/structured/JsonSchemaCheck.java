package dev.genaiplatform.orchestrator.structured;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * Whether an answer is JSON that satisfies the schema the client asked for in {@code response_format}. Models
 * asked for a schema still break it (a missing field, a string for a number, prose around the JSON); the errors
 * found here are what the model is told when it is asked again.
 */
public final class JsonSchemaCheck {

    private static final int MAX_ERRORS = 10;

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final JsonMapper json;

    public JsonSchemaCheck(JsonMapper json) {
        this.json = json;
    }

    /** @param errors what is wrong, at most ten, each naming the place in the answer */
    public record Result(boolean valid, List<String> errors) {
    }

    public Result check(String schemaJson, String answer) {
        JsonNode parsed;
        try {
            parsed = this.json.readTree(answer == null ? "" : answer);
        }
        catch (JacksonException notJson) {
            return new Result(false, List.of("the answer is not valid JSON: " + notJson.getOriginalMessage()));
        }
        if (parsed == null || parsed.isMissingNode()) {
            return new Result(false, List.of("the answer is empty"));
        }
        Schema schema = this.registry.getSchema(schemaJson);
        List<String> errors = schema.validate(parsed).stream()
                .map(error -> error.getInstanceLocation() + ": " + error.getMessage())
                .limit(MAX_ERRORS).toList();
        return new Result(errors.isEmpty(), errors);
    }
}
