package dev.genaiplatform.orchestrator.structured;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class JsonSchemaCheckTests {

    private static final String SCHEMA = """
            {"type": "object", "required": ["city", "days"], "additionalProperties": false, "properties": {
              "city": {"type": "string"}, "days": {"type": "integer", "minimum": 1}}}""";

    private final JsonSchemaCheck check = new JsonSchemaCheck(new JsonMapper());

    @Test
    void anAnswerThatSatisfiesTheSchemaHolds() {
        assertThat(this.check.check(SCHEMA, "{\"city\": \"Paris\", \"days\": 3}").valid()).isTrue();
    }

    @Test
    void eachViolationIsNamedWithItsPlace() {
        JsonSchemaCheck.Result result = this.check.check(SCHEMA, "{\"city\": 7, \"days\": 0, \"extra\": true}");

        assertThat(result.valid()).isFalse();
        assertThat(String.join("\n", result.errors())).contains("city").contains("days").contains("extra");
    }

    @Test
    void proseAroundTheJsonOrNothingAtAllIsNotJson() {
        assertThat(this.check.check(SCHEMA, "Sure! Here it is: {\"city\": \"Paris\"}").errors().getFirst())
                .startsWith("the answer is not valid JSON");
        assertThat(this.check.check(SCHEMA, "").valid()).isFalse();
    }
}
