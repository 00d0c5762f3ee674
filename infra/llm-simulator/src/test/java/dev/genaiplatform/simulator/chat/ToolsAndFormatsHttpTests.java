package dev.genaiplatform.simulator.chat;

import dev.genaiplatform.simulator.JsonSchemas;
import com.knuddels.jtokkit.api.EncodingType;
import dev.genaiplatform.simulator.SimulatorServerTest;
import dev.genaiplatform.simulator.tokens.Tokenizer;
import dev.genaiplatform.simulator.tokens.Tokenizers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Tool calls, structured output and sampling parameters over HTTP, chunk by chunk where it streams. */
@SimulatorServerTest
class ToolsAndFormatsHttpTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration HANG_GUARD = Duration.ofSeconds(20);
    static final String CALCULATOR = "{'type':'function','function':{'name':'calculator','description':'Evaluates an "
            + "arithmetic expression.','parameters':{'type':'object','properties':{'expression':{'type':'string'}},"
            + "'required':['expression'],'additionalProperties':false}}}";
    private static final String ASK_ARITHMETIC = "{'model':'sim-small','messages':[{'role':'user','content':"
            + "'What is (2+3)*4?'}],'tools':[" + CALCULATOR + "]";

    @LocalServerPort
    int port;

    private WebTestClient client;

    @BeforeEach
    void connect() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(HANG_GUARD).build();
    }

    @Test
    void answersWithAToolCallWhoseArgumentsAreAJsonString() {
        JsonNode body = ok(ASK_ARITHMETIC + "}");

        JsonNode message = body.at("/choices/0/message");
        assertThat(message.get("content").isNull()).isTrue();
        JsonNode call = message.at("/tool_calls/0");
        assertThat(call.get("id").asString()).startsWith("call_");
        assertThat(call.get("type").asString()).isEqualTo("function");
        assertThat(call.at("/function/name").asString()).isEqualTo("calculator");
        assertThat(call.at("/function/arguments").asString()).isEqualTo("{\"expression\":\"(2+3)*4\"}");
        assertThat(body.at("/choices/0/finish_reason").asString()).isEqualTo("tool_calls");
        assertThat(body.at("/usage/completion_tokens").asInt()).isPositive();
    }

    @Test
    void streamsAToolCallAsNameFirstThenArgumentPiecesThenTheToolCallsFinish() {
        List<String> events = stream(ASK_ARITHMETIC + ",'stream':true}");

        assertThat(events.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(JSON::readTree).toList();
        JsonNode first = chunks.getFirst().at("/choices/0/delta");
        assertThat(first.get("role").asString()).isEqualTo("assistant");
        JsonNode opening = first.at("/tool_calls/0");
        assertThat(opening.get("index").asInt()).isZero();
        assertThat(opening.get("id").asString()).startsWith("call_");
        assertThat(opening.get("type").asString()).isEqualTo("function");
        assertThat(opening.at("/function/name").asString()).isEqualTo("calculator");
        assertThat(opening.at("/function/arguments").asString()).isEmpty();

        List<JsonNode> pieces = chunks.subList(1, chunks.size() - 1);
        assertThat(pieces).hasSizeGreaterThan(3).allSatisfy(chunk -> {
            JsonNode piece = chunk.at("/choices/0/delta/tool_calls/0");
            assertThat(piece.get("index").asInt()).isZero();
            assertThat(piece.has("id")).isFalse();
            assertThat(piece.at("/function").has("name")).isFalse();
            assertThat(chunk.at("/choices/0/delta").has("content")).isFalse();
        });
        String arguments = pieces.stream().map(c -> c.at("/choices/0/delta/tool_calls/0/function/arguments").asString())
                .collect(Collectors.joining());
        assertThat(arguments).isEqualTo("{\"expression\":\"(2+3)*4\"}");
        assertThat(chunks.getLast().at("/choices/0/finish_reason").asString()).isEqualTo("tool_calls");
        assertThat(chunks.getLast().at("/choices/0/delta").isEmpty()).isTrue();
    }

    @Test
    void composesTheFinalAnswerFromTheToolResult() {
        String callId = ok(ASK_ARITHMETIC + "}").at("/choices/0/message/tool_calls/0/id").asString();

        JsonNode body = ok("{'model':'sim-small','tools':[" + CALCULATOR + "],'messages':[{'role':'user','content':"
                + "'What is (2+3)*4?'},{'role':'assistant','content':null,'tool_calls':[{'id':'" + callId + "','type':"
                + "'function','function':{'name':'calculator','arguments':'{\\\"expression\\\":\\\"(2+3)*4\\\"}'}}]},"
                + "{'role':'tool','tool_call_id':'" + callId + "','content':'20'}]}");

        assertThat(body.at("/choices/0/message/content").asString()).isEqualTo("The result of (2+3)*4 is 20.");
        assertThat(body.at("/choices/0/message").has("tool_calls")).isFalse();
        assertThat(body.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
    }

    @Test
    void aToolCallCutByMaxTokensFinishesWithLength() {
        JsonNode body = ok(ASK_ARITHMETIC + ",'max_tokens':3}");

        assertThat(body.at("/choices/0/finish_reason").asString()).isEqualTo("length");
        assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void jsonObjectContentIsAJsonObjectWithTheAnswerAndItsCitations() {
        JsonNode body = ok(grounded("'response_format':{'type':'json_object'}", "Reply in JSON."));

        JsonNode content = JSON.readTree(body.at("/choices/0/message/content").asString());
        assertThat(content.get("answer").asString()).contains("Retrieval ranks passages");
        assertThat(content.get("citations").values()).isNotEmpty().allSatisfy(n -> assertThat(n.isInt()).isTrue());
        assertThat(content.get("citations").get(0).asInt()).isEqualTo(1);
    }

    @Test
    void jsonSchemaContentValidatesAgainstTheSchemaAndStreamsTheSame() {
        String schema = "{'type':'object','properties':{'answer':{'type':'string'},'citations':{'type':'array',"
                + "'items':{'type':'integer'}},'confidence':{'type':'number','minimum':0,'maximum':1}},"
                + "'required':['answer','citations','confidence'],'additionalProperties':false}";
        String format = "'response_format':{'type':'json_schema','json_schema':{'name':'grounded','strict':true,"
                + "'schema':" + schema + "}}";

        String content = ok(grounded(format, "")).at("/choices/0/message/content").asString();

        assertThat(JsonSchemas.violations(JSON.readTree(schema.replace('\'', '"')), JSON.readTree(content))).isEmpty();
        String streamed = stream(grounded(format + ",'stream':true", "")).stream()
                .filter(e -> !"[DONE]".equals(e)).map(JSON::readTree)
                .map(c -> c.at("/choices/0/delta/content").asString(""))
                .collect(Collectors.joining());
        assertThat(streamed).isEqualTo(content);
    }

    @Test
    void stopCutsTheAnswerBeforeTheStopSequence() {
        String whole = ok(grounded("'temperature':0", "")).at("/choices/0/message/content").asString();

        JsonNode body = ok(grounded("'stop':['never there',' [1]']", ""));

        assertThat(body.at("/choices/0/message/content").asString()).isEqualTo(whole.substring(0, whole.indexOf(" [1]")));
        assertThat(body.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
    }

    @Test
    void theSameSeedAndTemperatureGiveTheSameAnswerOverHttp() {
        String a = ok(grounded("'temperature':1.2,'seed':11", "")).at("/choices/0/message/content").asString();
        String b = ok(grounded("'temperature':1.2,'seed':11", "")).at("/choices/0/message/content").asString();

        assertThat(a).isEqualTo(b).contains("[1]");
    }

    @Test
    void nChoicesAreIndexedAndVaryPerSeedWhileChoiceZeroIsTheSingleAnswer() {
        JsonNode single = ok(grounded("'temperature':1,'seed':5", ""));
        JsonNode three = ok(grounded("'temperature':1,'seed':5,'n':3", ""));

        JsonNode choices = three.get("choices");
        assertThat(choices).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(choices.get(i).get("index").asInt()).isEqualTo(i);
            assertThat(choices.get(i).get("finish_reason").asString()).isEqualTo("stop");
        }
        assertThat(choices.get(0).at("/message/content").asString())
                .isEqualTo(single.at("/choices/0/message/content").asString());
        Tokenizer tokenizer = new Tokenizers().forEncoding(EncodingType.O200K_BASE);
        int completionTokens = choices.values().stream()
                .mapToInt(choice -> tokenizer.count(choice.at("/message/content").asString())).sum();
        assertThat(three.at("/usage/completion_tokens").asInt()).isEqualTo(completionTokens);
        assertThat(choices.values().stream().map(c -> c.at("/message/content").asString()).distinct().count())
                .as("seeds 5, 6 and 7 word the answer differently").isGreaterThan(1);
        assertThat(three.at("/usage/prompt_tokens").asInt()).isEqualTo(single.at("/usage/prompt_tokens").asInt());
    }

    @Test
    void nStreamedChoicesEachGetTheirRoleContentAndFinishUnderTheirIndex() {
        JsonNode whole = ok(grounded("'temperature':1,'seed':9,'n':2", ""));

        List<JsonNode> chunks = stream(grounded("'temperature':1,'seed':9,'n':2,'stream':true", "")).stream()
                .filter(e -> !"[DONE]".equals(e)).map(JSON::readTree).toList();

        for (int index = 0; index < 2; index++) {
            int i = index;
            List<JsonNode> mine = chunks.stream().filter(c -> c.at("/choices/0/index").asInt() == i).toList();
            assertThat(mine.getFirst().at("/choices/0/delta/role").asString()).isEqualTo("assistant");
            assertThat(mine.getLast().at("/choices/0/finish_reason").asString()).isEqualTo("stop");
            assertThat(mine.stream().filter(c -> c.at("/choices/0/finish_reason").isString())).hasSize(1);
            String text = mine.stream().map(c -> c.at("/choices/0/delta/content").asString(""))
                    .collect(Collectors.joining());
            assertThat(text).isEqualTo(whole.at("/choices/" + i + "/message/content").asString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "'temperature':2.5          | temperature                   | decimal_above_max_value",
            "'temperature':-1           | temperature                   | decimal_below_min_value",
            "'top_p':1.5                | top_p                         | decimal_above_max_value",
            "'n':0                      | n                             | integer_below_min_value",
            "'n':129                    | n                             | integer_above_max_value",
            "'seed':'x'                 | seed                          | invalid_type",
            "'stop':['a','b','c','d','e'] | stop                        | array_above_max_length",
            "'stop':[1]                 | stop[0]                       | invalid_type",
            "'tools':[{'type':'retrieval'}] | tools[0].type             | invalid_value",
            "'tools':[{'type':'function','function':{'name':'bad name'}}] | tools[0].function.name |",
            "'tools':[{'type':'function'}] | tools[0].function          | missing_required_parameter",
            "'tools':[{'type':'function','function':{'name':'f','parameters':[]}}] | tools[0].function.parameters | invalid_type",
            "'tools':[{'type':'function','function':{'name':'f','parameters':{'type':'object','properties':{'n':{'type':'number','multipleOf':0}},'required':['n']}}}] | tools[0].function.parameters | invalid_function_parameters",
            "'tools':[{'type':'function','function':{'name':'f','parameters':{'type':'array'}}}] | tools[0].function.parameters | invalid_function_parameters",
            "'tool_choice':'auto'       | tool_choice                   |",
            "'response_format':{'type':'xml'} | response_format.type    | invalid_value",
            "'response_format':{'type':'json_object'} | messages        |",
            "'response_format':{'type':'json_schema','json_schema':{'name':'s','schema':{'type':'object','properties':{'c':{'type':'string','pattern':'^a'}}}}} | response_format |"})
    void refusesBadParametersWithOpenAisErrorShape(String fields, String param, String code) {
        JsonNode error = refused(grounded(fields, ""));

        assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").asString()).isEqualTo(param);
        assertThat(error.get("code").isNull() ? null : error.get("code").asString()).isEqualTo(code);
        assertThat(error.get("message").asString()).isNotBlank();
    }

    @Test
    void anUnsupportedSchemaKeywordIsNamedInTheMessage() {
        JsonNode error = refused(grounded("'response_format':{'type':'json_schema','json_schema':{'name':'s','schema':"
                + "{'type':'object','properties':{'c':{'type':'string','pattern':'^a'}}}}}", ""));

        assertThat(error.get("message").asString()).contains("Invalid schema for response_format 's'", "'pattern'");
    }

    @Test
    void refusesToolMessagesThatAnswerNoCall() {
        JsonNode orphan = refused("{'model':'sim-small','messages':[{'role':'user','content':'hi'},"
                + "{'role':'tool','tool_call_id':'call_x','content':'20'}]}");
        assertThat(orphan.get("param").asString()).isEqualTo("messages.[1].role");

        JsonNode wrongId = refused("{'model':'sim-small','messages':[{'role':'user','content':'hi'},{'role':'assistant',"
                + "'tool_calls':[{'id':'call_a','type':'function','function':{'name':'f','arguments':'{}'}}]},"
                + "{'role':'tool','tool_call_id':'call_b','content':'20'}]}");
        assertThat(wrongId.get("param").asString()).isEqualTo("messages.[2].tool_call_id");
        assertThat(wrongId.get("message").asString()).contains("call_b");

        JsonNode unanswered = refused("{'model':'sim-small','messages':[{'role':'user','content':'hi'},{'role':'assistant',"
                + "'tool_calls':[{'id':'call_a','type':'function','function':{'name':'f','arguments':'{}'}}]},"
                + "{'role':'user','content':'and?'}]}");
        assertThat(unanswered.get("message").asString()).contains("call_a");

        JsonNode noId = refused("{'model':'sim-small','messages':[{'role':'tool','content':'20'}]}");
        assertThat(noId.get("code").asString()).isEqualTo("missing_required_parameter");
    }

    private static String grounded(String fields, String suffix) {
        String system = ChatCompletionsHttpTests.SYSTEM;
        String question = ChatCompletionsHttpTests.QUESTION + (suffix.isEmpty() ? "" : " " + suffix);
        return "{'model':'sim-small'," + (fields.isEmpty() ? "" : fields + ",") + "'messages':[{'role':'system',"
                + "'content':" + JSON.writeValueAsString(system).replace("'", "\\u0027").replace('"', '\u0001') + "},{'role':'user','content':'"
                + question + "'}]}";
    }

    private JsonNode ok(String body) {
        return post(body).expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode refused(String body) {
        return post(body).expectStatus().isBadRequest().expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("error");
    }

    private WebTestClient.ResponseSpec post(String body) {
        return client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(body).getBytes(StandardCharsets.UTF_8)).exchange();
    }

    private List<String> stream(String body) {
        return client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.TEXT_EVENT_STREAM).bodyValue(json(body))
                .exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseBody().collectList().block(HANG_GUARD);
    }

    /** Test bodies are written with single quotes; a system prompt's own quotes travel as \u0001 until here. */
    private static String json(String body) {
        return body.replace('\'', '"').replace('\u0001', '"');
    }
}
