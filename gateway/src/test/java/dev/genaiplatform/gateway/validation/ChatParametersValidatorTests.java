package dev.genaiplatform.gateway.validation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.genaiplatform.gateway.tenant.ApiKey;
import dev.genaiplatform.gateway.tenant.Tenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The optional parameters an OpenAI SDK sends, through {@link ChatRequestValidator}'s public entry point. */
class ChatParametersValidatorTests {

    private static final String MESSAGES = "'messages':[{'role':'user','content':'What is 6*7?'}]";

    private static final String TOOLS = "'tools':[{'type':'function','function':{'name':'calculator',"
            + "'description':'Evaluates arithmetic','parameters':{'type':'object','properties':{'expression':{'type':'string'}},"
            + "'required':['expression']},'strict':true}},{'type':'function','function':{'name':'get_weather'}}]";

    private final ChatRequestValidator validator = new ChatRequestValidator();

    private final ApiKey tenant = new ApiKey("0123456789abcdef", new Tenant("demo", new Tenant.RateLimit(1, 1, 1)),
            java.util.Set.of("chat"), List.of("sim-small"));

    /** What the official SDKs send for a tools call with structured output and every sampling knob set. */
    @Test
    void acceptsTheFullRequestOfAnOpenAiSdkUsingToolsAndStructuredOutput() throws IOException {
        byte[] body = new ClassPathResource("openai-sdk-chat-request.json").getContentAsByteArray();
        assertThatCode(() -> validator.validate(body, tenant)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        TOOLS,
        TOOLS + ",'tool_choice':'none'",
        TOOLS + ",'tool_choice':'auto'",
        TOOLS + ",'tool_choice':'required'",
        TOOLS + ",'tool_choice':{'type':'function','function':{'name':'get_weather'}}",
        "'tool_choice':'auto'",
        "'tools':[],'tool_choice':'none'",
        "'tools':null,'tool_choice':null",
        "'response_format':{'type':'text'}",
        "'response_format':{'type':'json_object'}",
        "'response_format':{'type':'json_schema','json_schema':{'name':'answer','schema':{'type':'object'},'strict':true}}",
        "'response_format':{'type':'json_schema','json_schema':{'name':'answer','description':'The answer'}}",
        "'seed':42",
        "'seed':-9007199254740993",
        "'temperature':0",
        "'temperature':2",
        "'temperature':0.7",
        "'top_p':0",
        "'top_p':1",
        "'top_p':0.95",
        "'max_tokens':1",
        "'max_completion_tokens':4096",
        "'n':1",
        "'n':3",
        "'stop':'END'",
        "'stop':[]",
        "'stop':['a','b','c','d']",
        "'stream':true,'stream_options':{'include_usage':true}",
        "'stream_options':{}",
        "'user':'user-1234'",
        "'seed':null,'temperature':null,'top_p':null,'max_tokens':null,'n':null,'stop':null,'user':null,'response_format':null" })
    void acceptsEachOptionalParameterInEveryDocumentedShape(String parameters) {
        String body = "{'model':'sim-small'," + MESSAGES + "," + parameters + "}";
        assertThatCode(() -> validator.validate(json(body), tenant)).as(body).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
        'tools':{'type':'function'}                                                        | invalid_type               | tools
        'tools':['calculator']                                                             | invalid_type               | tools[0]
        'tools':[{'function':{'name':'f'}}]                                                | missing_required_parameter | tools[0].type
        'tools':[{'type':'retrieval','function':{'name':'f'}}]                             | invalid_value              | tools[0].type
        'tools':[{'type':'function'}]                                                      | missing_required_parameter | tools[0].function
        'tools':[{'type':'function','function':'f'}]                                       | invalid_type               | tools[0].function
        'tools':[{'type':'function','function':{'description':'x'}}]                       | missing_required_parameter | tools[0].function.name
        'tools':[{'type':'function','function':{'name':7}}]                                | invalid_type               | tools[0].function.name
        'tools':[{'type':'function','function':{'name':'get weather'}}]                    | invalid_value              | tools[0].function.name
        'tools':[{'type':'function','function':{'name':'f','description':1}}]              | invalid_type               | tools[0].function.description
        'tools':[{'type':'function','function':{'name':'f','parameters':'{}'}}]            | invalid_type               | tools[0].function.parameters
        'tools':[{'type':'function','function':{'name':'f','strict':'yes'}}]               | invalid_type               | tools[0].function.strict
        'tool_choice':'always'                                                             | invalid_value              | tool_choice
        'tool_choice':'required'                                                           | invalid_value              | tool_choice
        'tool_choice':true                                                                 | invalid_type               | tool_choice
        'tool_choice':{'type':'function'}                                                  | missing_required_parameter | tool_choice.function
        'tool_choice':{'function':{'name':'calculator'}}                                   | missing_required_parameter | tool_choice.type
        'tool_choice':{'type':'function','function':{'name':'calculator'}}                 | invalid_value              | tool_choice.function.name
        'response_format':'json_object'                                                    | invalid_type               | response_format
        'response_format':{}                                                               | missing_required_parameter | response_format.type
        'response_format':{'type':'xml'}                                                   | invalid_value              | response_format.type
        'response_format':{'type':'json_schema'}                                           | missing_required_parameter | response_format.json_schema
        'response_format':{'type':'json_schema','json_schema':{'schema':{}}}               | missing_required_parameter | response_format.json_schema.name
        'response_format':{'type':'json_schema','json_schema':{'name':'a','schema':'{}'}}  | invalid_type               | response_format.json_schema.schema
        'response_format':{'type':'json_schema','json_schema':{'name':'a','strict':1}}     | invalid_type               | response_format.json_schema.strict
        'seed':'42'                                                                        | invalid_type               | seed
        'seed':4.2                                                                         | invalid_type               | seed
        'seed':99999999999999999999                                                        | invalid_value              | seed
        'temperature':'0.5'                                                                | invalid_type               | temperature
        'temperature':2.5                                                                  | invalid_value              | temperature
        'temperature':-0.1                                                                 | invalid_value              | temperature
        'top_p':true                                                                       | invalid_type               | top_p
        'top_p':1.01                                                                       | invalid_value              | top_p
        'max_tokens':'100'                                                                 | invalid_type               | max_tokens
        'max_tokens':0                                                                     | invalid_value              | max_tokens
        'max_tokens':10.5                                                                  | invalid_type               | max_tokens
        'max_completion_tokens':-1                                                         | invalid_value              | max_completion_tokens
        'n':0                                                                              | invalid_value              | n
        'n':'2'                                                                            | invalid_type               | n
        'stop':5                                                                           | invalid_type               | stop
        'stop':['a',5]                                                                     | invalid_type               | stop[1]
        'stop':['a','b','c','d','e']                                                       | invalid_value              | stop
        'stream_options':true                                                              | invalid_type               | stream_options
        'stream_options':{'include_usage':'yes'}                                           | invalid_type               | stream_options.include_usage
        'user':42                                                                          | invalid_type               | user
        """)
    void rejectsAParameterOfTheWrongTypeOrRangeWith400NamingIt(String parameters, String code, String param) {
        String body = "{'model':'sim-small'," + MESSAGES + "," + parameters + "}";
        ErrorResponseException problem = catchThrowableOfType(ErrorResponseException.class,
                () -> validator.validate(json(body), tenant));
        assertThat(problem).as("rejection of %s", body).isNotNull();
        assertThat(problem.getStatusCode().value()).isEqualTo(400);
        assertThat(error(problem)).containsEntry("code", code).containsEntry("param", param)
            .containsEntry("type", "invalid_request_error");
    }

    @Test
    void describesARangeErrorTheWayOpenAiDoes() {
        ErrorResponseException problem = catchThrowableOfType(ErrorResponseException.class,
                () -> validator.validate(json("{'model':'sim-small'," + MESSAGES + ",'temperature':3}"), tenant));
        assertThat(problem.getBody().getDetail())
            .isEqualTo("Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead.");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> error(ErrorResponseException problem) {
        return (Map<String, Object>) problem.getBody().getProperties().get("error");
    }

    private static byte[] json(String singleQuoted) {
        return singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }
}
