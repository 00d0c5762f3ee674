package dev.genaiplatform.simulator.answer;

import tools.jackson.databind.JsonNode;

/** The request's {@code response_format}: plain text, any JSON object, or JSON that fits a schema. */
public sealed interface ResponseFormat {

    ResponseFormat TEXT = new Text();

    /** Throws {@link UnsupportedSchemaException}, naming the keyword, for a schema the simulator cannot satisfy. */
    static void checkSchema(JsonNode schema) {
        SchemaInstanceWriter.check(schema);
    }

    record Text() implements ResponseFormat {
    }

    /** {@code {"type":"json_object"}}: the answer as {@code {"answer": ..., "citations": [...]}}. */
    record JsonObject() implements ResponseFormat {
    }

    /**
     * {@code {"type":"json_schema","json_schema":{...}}}.
     *
     * @param name   the schema's name (informational)
     * @param schema the JSON schema the content must validate against, already checked by
     *               {@link #checkSchema}
     * @param strict whether the client asked for strict adherence; the simulator always adheres
     */
    record JsonSchema(String name, JsonNode schema, boolean strict) implements ResponseFormat {
    }
}
