package dev.genaiplatform.gateway.validation;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.genaiplatform.gateway.tenant.ApiKey;
import dev.genaiplatform.gateway.tenant.Tenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ChatRequestValidatorTests {

    private final ChatRequestValidator validator = new ChatRequestValidator();

    private static final String CALL = "{'id':'call_1','type':'function','function':{'name':'calculator','arguments':'{\\'expression\\':\\'6*7\\'}'}}";

    private static final String CALL_2 = "{'id':'call_2','type':'function','function':{'name':'clock','arguments':'{}'}}";

    private final ApiKey tenant = new ApiKey("0123456789abcdef", new Tenant("demo", new Tenant.RateLimit(1, 1, 1)),
            java.util.Set.of("chat"), List.of("sim-small"));

    @ParameterizedTest
    @ValueSource(strings = {
        "{'model':'sim-small','messages':[{'role':'user','content':'Hi'}]}",
        "{'model':'sim-small','stream':true,'messages':[{'role':'system','content':'Be brief'},{'role':'user','content':'Hi'}]}",
        "{'model':'sim-small','stream':null,'messages':[{'role':'user','content':[{'type':'text','text':' '},{'type':'text','text':'Hi'}]}]}",
        "{'model':'sim-small','temperature':0.2,'max_tokens':64,'messages':[{'role':'developer','content':'x'}]}",
        "{'model':'sim-small','messages':[{'role':'user','content':'Hi','name':'ada'}],'some_future_field':{'x':1}}" })
    void acceptsWellFormedRequests(String body) {
        assertThatCode(() -> validator.validate(json(body), tenant)).doesNotThrowAnyException();
    }

    /** The message shapes of a tool-calling conversation, as OpenAI SDKs send them. */
    @ParameterizedTest
    @ValueSource(strings = {
        // the model asked for a tool: content null, or absent, or empty next to tool_calls
        "{'role':'assistant','content':null,'tool_calls':[" + CALL + "]}",
        "{'role':'assistant','tool_calls':[" + CALL + "," + CALL_2 + "]}",
        "{'role':'assistant','content':'','refusal':null,'tool_calls':[" + CALL + "]}",
        "{'role':'assistant','content':'Let me check.','tool_calls':[{'id':'call_1','function':{'name':'calculator','arguments':'{}'}}]}",
        // the client ran the tool: string content, text parts, or an empty result
        "{'role':'tool','tool_call_id':'call_1','content':'42'}",
        "{'role':'tool','tool_call_id':'call_1','content':[{'type':'text','text':'42'}]}",
        "{'role':'tool','tool_call_id':'call_1','content':''}",
        // plain assistant turns of an earlier exchange, and a refusal
        "{'role':'assistant','content':'Hello!','name':'helper'}",
        "{'role':'assistant','content':[{'type':'refusal','refusal':'I cannot help with that.'}]}",
        "{'role':'developer','content':[{'type':'text','text':'Answer in French.'}],'name':'ops'}" })
    void acceptsEveryMessageShapeOfAToolCallingConversation(String message) {
        String body = "{'model':'sim-small','messages':[{'role':'user','content':'Hi'}," + message + "]}";
        assertThatCode(() -> validator.validate(json(body), tenant)).as(body).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
        {'role':'assistant','content':null,'tool_calls':[]}                                  | missing_required_parameter | messages[1].content
        {'role':'assistant','content':' '}                                                   | invalid_value              | messages[1].content
        {'role':'assistant','tool_calls':{'id':'call_1'}}                                    | invalid_type               | messages[1].tool_calls
        {'role':'assistant','tool_calls':['call_1']}                                         | invalid_type               | messages[1].tool_calls[0]
        {'role':'assistant','tool_calls':[{'function':{'name':'f','arguments':'{}'}}]}       | missing_required_parameter | messages[1].tool_calls[0].id
        {'role':'assistant','tool_calls':[{'id':'c','type':1,'function':{'name':'f','arguments':'{}'}}]} | invalid_type | messages[1].tool_calls[0].type
        {'role':'assistant','tool_calls':[{'id':'c'}]}                                       | missing_required_parameter | messages[1].tool_calls[0].function
        {'role':'assistant','tool_calls':[{'id':'c','function':'f'}]}                        | invalid_type               | messages[1].tool_calls[0].function
        {'role':'assistant','tool_calls':[{'id':'c','function':{'arguments':'{}'}}]}         | missing_required_parameter | messages[1].tool_calls[0].function.name
        {'role':'assistant','tool_calls':[{'id':'c','function':{'name':'f','arguments':{}}}]} | invalid_type              | messages[1].tool_calls[0].function.arguments
        {'role':'assistant','refusal':true,'content':'x'}                                    | invalid_type               | messages[1].refusal
        {'role':'user','content':[{'type':'refusal','refusal':'no'}]}                        | invalid_value              | messages[1].content[0].type
        {'role':'tool','content':'42'}                                                       | missing_required_parameter | messages[1].tool_call_id
        {'role':'tool','tool_call_id':7,'content':'42'}                                      | invalid_type               | messages[1].tool_call_id
        {'role':'tool','tool_call_id':' ','content':'42'}                                    | invalid_value              | messages[1].tool_call_id
        {'role':'tool','tool_call_id':'call_1'}                                              | missing_required_parameter | messages[1].content
        {'role':'tool','tool_call_id':'call_1','content':{'result':42}}                      | invalid_type               | messages[1].content
        {'role':'system','content':''}                                                       | invalid_value              | messages[1].content
        {'role':'developer','content':null}                                                  | missing_required_parameter | messages[1].content
        {'role':'user','content':'Hi','name':42}                                             | invalid_type               | messages[1].name
        """)
    void rejectsMalformedToolConversationMessages(String message, String code, String param) {
        ErrorResponseException problem = rejection("{'model':'sim-small','messages':[{'role':'user','content':'Hi'}," + message + "]}");
        assertThat(problem.getStatusCode().value()).isEqualTo(400);
        assertThat(error(problem)).containsEntry("code", code).containsEntry("param", param);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        {'model':'sim-small','messages':[                                                    | invalid_json               |
        {'model':'sim-small','messages':[{'role':'user','content':'Hi'}]} trailing           | invalid_json               |
        {'model':'gpt-9','model':'sim-small','messages':[{'role':'user','content':'Hi'}]}   | invalid_json               |
        ['model']                                                                            | invalid_json               |
        {'messages':[{'role':'user','content':'Hi'}]}                                        | missing_required_parameter | model
        {'model':7,'messages':[{'role':'user','content':'Hi'}]}                              | invalid_type               | model
        {'model':' ','messages':[{'role':'user','content':'Hi'}]}                            | invalid_value              | model
        {'model':'sim-small'}                                                                | missing_required_parameter | messages
        {'model':'sim-small','messages':null}                                                | missing_required_parameter | messages
        {'model':'sim-small','messages':'Hi'}                                                | invalid_type               | messages
        {'model':'sim-small','messages':[]}                                                  | empty_array                | messages
        {'model':'sim-small','messages':['Hi']}                                              | invalid_type               | messages[0]
        {'model':'sim-small','messages':[{'content':'Hi'}]}                                  | missing_required_parameter | messages[0].role
        {'model':'sim-small','messages':[{'role':1,'content':'Hi'}]}                         | invalid_type               | messages[0].role
        {'model':'sim-small','messages':[{'role':'wizard','content':'Hi'}]}                  | invalid_value              | messages[0].role
        {'model':'sim-small','messages':[{'role':'user'}]}                                   | missing_required_parameter | messages[0].content
        {'model':'sim-small','messages':[{'role':'assistant','content':null}]}               | missing_required_parameter | messages[0].content
        {'model':'sim-small','messages':[{'role':'user','content':42}]}                      | invalid_type               | messages[0].content
        {'model':'sim-small','messages':[{'role':'user','content':{'text':'Hi'}}]}           | invalid_type               | messages[0].content
        {'model':'sim-small','messages':[{'role':'user','content':' \\t '}]}                 | invalid_value              | messages[0].content
        {'model':'sim-small','messages':[{'role':'user','content':[]}]}                      | invalid_value              | messages[0].content
        {'model':'sim-small','messages':[{'role':'user','content':[{'type':'text','text':' '}]}]}    | invalid_value | messages[0].content
        {'model':'sim-small','messages':[{'role':'user','content':[{'type':'image_url','image_url':{}}]}]} | invalid_value | messages[0].content[0].type
        {'model':'sim-small','messages':[{'role':'user','content':[{'type':'text','text':5}]}]}     | invalid_type  | messages[0].content[0].text
        {'model':'sim-small','messages':[{'role':'user','content':['Hi']}]}                  | invalid_type               | messages[0].content[0]
        {'model':'sim-small','stream':'yes','messages':[{'role':'user','content':'Hi'}]}     | invalid_type               | stream
        {'model':'sim-small','stream':1,'messages':[{'role':'user','content':'Hi'}]}         | invalid_type               | stream
        """)
    void rejectsMalformedRequestsWith400NamingTheParameter(String body, String code, String param) {
        ErrorResponseException problem = rejection(body);
        assertThat(problem.getStatusCode().value()).isEqualTo(400);
        assertThat(error(problem)).containsEntry("code", code).containsEntry("param", param);
    }

    @Test
    void rejectsAnEmptyBody() {
        ErrorResponseException problem = catchThrowableOfType(ErrorResponseException.class,
                () -> validator.validate(new byte[0], tenant));
        assertThat(error(problem)).containsEntry("code", "invalid_json");
    }

    @Test
    void answers404ForAModelTheKeyMayNotUse() {
        ErrorResponseException problem = rejection("{'model':'sim-large','messages':[{'role':'user','content':'Hi'}]}");
        assertThat(problem.getStatusCode().value()).isEqualTo(404);
        assertThat(error(problem)).containsEntry("code", "model_not_found").containsEntry("param", "model");
    }

    @Test
    void reportsMalformedJsonWithoutQuotingTheBody() {
        ErrorResponseException problem = rejection("{'model':'secret-text-here");
        assertThat(problem.getBody().getDetail()).doesNotContain("secret-text-here").contains("line 1");
    }

    @Test
    void checksTheShapeBeforeTheModel() {
        ErrorResponseException problem = rejection("{'model':'gpt-9','messages':[]}");
        assertThat(problem.getStatusCode().value()).isEqualTo(400);
    }

    private ErrorResponseException rejection(String body) {
        ErrorResponseException problem = catchThrowableOfType(ErrorResponseException.class,
                () -> validator.validate(json(body), tenant));
        assertThat(problem).as("rejection of %s", body).isNotNull();
        return problem;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> error(ErrorResponseException problem) {
        return (Map<String, Object>) problem.getBody().getProperties().get("error");
    }

    /** Single quotes keep the cases readable. */
    private static byte[] json(String singleQuoted) {
        return singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }
}
