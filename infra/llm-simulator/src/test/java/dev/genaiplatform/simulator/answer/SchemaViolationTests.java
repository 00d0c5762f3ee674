package dev.genaiplatform.simulator.answer;

import dev.genaiplatform.simulator.JsonSchemas;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaViolationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void dropsTheFirstRequiredProperty() {
        JsonNode schema = json("{'type':'object','properties':{'a':{'type':'string'},'b':{'type':'integer'}},'required':['a','b']}");

        JsonNode broken = SchemaViolation.of(schema, json("{'a':'x','b':1}")).orElseThrow();

        assertThat(broken.has("a")).isFalse();
        assertThat(JsonSchemas.violations(schema, broken)).isNotEmpty();
    }

    @Test
    void addsAPropertyWhereNoneMayBeAdded() {
        JsonNode schema = json("{'type':'object','properties':{'a':{'type':'string'}},'additionalProperties':false}");

        JsonNode broken = SchemaViolation.of(schema, json("{'a':'x'}")).orElseThrow();

        assertThat(JsonSchemas.violations(schema, broken)).isNotEmpty();
    }

    @Test
    void givesAPropertyTheWrongTypeWhenNothingIsRequired() {
        JsonNode schema = json("{'type':'object','properties':{'n':{'type':'number'}}}");

        JsonNode broken = SchemaViolation.of(schema, json("{'n':1.5}")).orElseThrow();

        assertThat(broken.get("n").isString()).isTrue();
        assertThat(JsonSchemas.violations(schema, broken)).isNotEmpty();
    }

    @Test
    void followsALocalReferenceAtTheRoot() {
        JsonNode schema = json("{'$ref':'#/$defs/r','$defs':{'r':{'type':'object','properties':{'a':{'type':'string'}},"
                + "'required':['a']}}}");

        JsonNode broken = SchemaViolation.of(schema, json("{'a':'x'}")).orElseThrow();

        assertThat(JsonSchemas.violations(schema, broken)).isNotEmpty();
    }

    @Test
    void replacesAScalarWithOneOfAnotherType() {
        JsonNode schema = json("{'type':'array','items':{'type':'string'}}");

        JsonNode broken = SchemaViolation.of(schema, json("['x']")).orElseThrow();

        assertThat(JsonSchemas.violations(schema, broken)).isNotEmpty();
    }

    @Test
    void leavesASchemaThatAcceptsAnythingAlone() {
        assertThat(SchemaViolation.of(json("{}"), json("{'a':1}"))).isEmpty();
    }

    private static JsonNode json(String singleQuoted) {
        return JSON.readTree(singleQuoted.replace('\'', '"'));
    }
}
