package dev.genaiplatform.simulator.answer;

import dev.genaiplatform.simulator.JsonSchemas;
import dev.genaiplatform.simulator.model.ChatMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StructuredOutputTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SYSTEM = resource("/prompts/grounded-system-message.txt");
    private static final String QUESTION = "How does retrieval rank passages?";

    private final GroundedAnswerComposer grounding = new GroundedAnswerComposer(3, 0.3);
    private final ReplyComposer composer = new ReplyComposer();

    @Test
    void jsonObjectCarriesTheAnswerWithoutMarkersAndTheCitedPassages() {
        JsonNode content = JSON.readTree(reply(QUESTION, new ResponseFormat.JsonObject()));

        assertThat(content.get("answer").asString()).startsWith("The orchestrator asks retrieval").doesNotContain("[1]");
        assertThat(content.get("citations").toString()).isEqualTo("[1]");
    }

    @Test
    void jsonObjectSaysItDoesNotKnowWithNoCitations() {
        JsonNode content = JSON.readTree(reply("What is the capital of France? json", new ResponseFormat.JsonObject()));

        assertThat(content.get("answer").asString()).isEqualTo(GroundedAnswerComposer.I_DONT_KNOW);
        assertThat(content.get("citations").isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // OpenAI's strict-mode shape: every property required, no extras
            "{'type':'object','properties':{'answer':{'type':'string'},'citations':{'type':'array','items':{'type':'integer'}},"
                    + "'confidence':{'type':'number','minimum':0,'maximum':1},'answerable':{'type':'boolean'}},"
                    + "'required':['answer','citations','confidence','answerable'],'additionalProperties':false}",
            // enums, consts, nullable unions, formats, lengths and item bounds
            "{'type':'object','properties':{'title':{'type':'string','maxLength':12},'kind':{'enum':['howto','reference',"
                    + "'retrieval']},'version':{'const':2},'note':{'type':['string','null'],'minLength':40},"
                    + "'when':{'type':'string','format':'date-time'},'id':{'type':'string','format':'uuid'},"
                    + "'points':{'type':'array','items':{'type':'string'},'minItems':4,'maxItems':5}},"
                    + "'required':['title','kind','version','note','when','id','points'],'additionalProperties':false}",
            // numbers bent into ranges, exclusive bounds and multiples
            "{'type':'object','properties':{'count':{'type':'integer','exclusiveMinimum':5,'maximum':9},"
                    + "'score':{'type':'number','exclusiveMaximum':0.5},'step':{'type':'integer','multipleOf':4,'minimum':3}},"
                    + "'required':['count','score','step'],'additionalProperties':false}",
            // nested objects, $defs and $ref, anyOf, arrays of objects
            "{'$defs':{'quote':{'type':'object','properties':{'text':{'type':'string'},'source':{'type':'string'}},"
                    + "'required':['text','source'],'additionalProperties':false}},'type':'object','properties':{"
                    + "'summary':{'type':'string'},'quotes':{'type':'array','items':{'$ref':'#/$defs/quote'}},"
                    + "'extra':{'anyOf':[{'type':'null'},{'type':'object','properties':{'n':{'type':'number'}},"
                    + "'required':['n'],'additionalProperties':false}]}},'required':['summary','quotes','extra'],"
                    + "'additionalProperties':false}",
            // a recursive schema terminates
            "{'type':'object','properties':{'label':{'type':'string'},'children':{'type':'array','items':{'$ref':'#'}}},"
                    + "'required':['label','children'],'additionalProperties':false}",
            // a bare array at the top
            "{'type':'array','items':{'type':'string'},'minItems':1}"})
    void jsonSchemaOutputValidatesAgainstTheSchema(String schemaText) {
        JsonNode schema = JSON.readTree(schemaText.replace('\'', '"'));
        SchemaInstanceWriter.check(schema);

        JsonNode content = JSON.readTree(reply(QUESTION, new ResponseFormat.JsonSchema("answer", schema, true)));

        assertThat(JsonSchemas.violations(schema, content)).as(content.toString()).isEmpty();
    }

    @Test
    void jsonSchemaStringsAndNumbersComeFromTheContext() {
        JsonNode schema = JSON.readTree(("{'type':'object','properties':{'answer':{'type':'string'},'topic':{'type':'string'},"
                + "'citations':{'type':'array','items':{'type':'integer'}},'sources':{'type':'array','items':{'type':'string'}},"
                + "'grounded':{'type':'boolean'},'sentence_count':{'type':'integer'}},"
                + "'required':['answer','topic','citations','sources','grounded','sentence_count']}").replace('\'', '"'));

        JsonNode content = JSON.readTree(reply(QUESTION, new ResponseFormat.JsonSchema("a", schema, true)));

        assertThat(content.get("answer").asString()).contains("Retrieval ranks passages by fusing two rankings");
        assertThat(content.get("topic").asString()).isEqualTo("One request, step by step");
        assertThat(content.get("citations").toString()).isEqualTo("[1]");
        assertThat(content.get("sources").get(0).asString()).startsWith("architecture.md > Architecture");
        assertThat(content.get("grounded").asBoolean()).isTrue();
        assertThat(content.get("sentence_count").asInt()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{'type':'object','properties':{'code':{'type':'string','pattern':'^[A-Z]+$'}}}",
            "{'type':'object','oneOf':[{'type':'object'}]}",
            "{'type':'object','properties':{'when':{'type':'string','format':'iso-week'}}}",
            "{'type':'object','properties':{'a':{'$ref':'https://example.com/schema'}}}",
            "{'type':'object','properties':{'a':{'type':'text'}}}",
            "{'type':'object','properties':{},'required':['ghost']}",
            "{'type':'object','properties':{'n':{'type':'number','multipleOf':0}}}",
            "{'type':'object','properties':{'n':{'type':'integer','minimum':'one'}}}",
            "{'type':'array','items':{'type':'string'},'minItems':3,'maxItems':2}"})
    void unsupportedSchemaFeaturesAreNamed(String schemaText) {
        JsonNode schema = JSON.readTree(schemaText.replace('\'', '"'));

        assertThatThrownBy(() -> SchemaInstanceWriter.check(schema))
                .isInstanceOf(UnsupportedSchemaException.class)
                .hasMessageMatching("(?s).*('pattern'|'oneOf'|iso-week|https://example.com/schema|\"text\"|ghost"
                        + "|multipleOf' must be a number above 0|minimum' must be a number|minItems 3 is above).*");
    }

    @Test
    void toolParametersMayUseKeywordsTheWriterIgnoresButNotOnesNoValueMeets() {
        ToolDefinition.checkParameters(JSON.readTree("{\"type\":\"object\",\"properties\":{\"code\":"
                + "{\"type\":\"string\",\"pattern\":\"^[A-Z]+$\"}},\"required\":[\"code\"]}"));

        assertThatThrownBy(() -> ToolDefinition.checkParameters(JSON.readTree("{\"type\":\"object\",\"properties\":"
                + "{\"next\":{\"$ref\":\"#\"}},\"required\":[\"next\"]}")))
                .isInstanceOf(UnsupportedSchemaException.class);
    }

    @Test
    void aSchemaThatNeedsAnInfiniteInstanceIsRefused() {
        JsonNode schema = JSON.readTree("{\"type\":\"object\",\"properties\":{\"next\":{\"$ref\":\"#\"}},\"required\":[\"next\"]}");

        assertThatThrownBy(() -> SchemaInstanceWriter.check(schema)).isInstanceOf(UnsupportedSchemaException.class)
                .hasMessageContaining("without end");
    }

    private String reply(String question, ResponseFormat format) {
        List<ChatMessage> messages = List.of(new ChatMessage("system", SYSTEM), new ChatMessage("user", question));
        ModelReply reply = composer.reply(messages, new ReplyOptions(List.of(), ToolChoice.NONE, format,
                Sampling.DETERMINISTIC), grounding.compose(messages));
        return reply.content();
    }

    static String resource(String name) {
        try (InputStream in = StructuredOutputTests.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
