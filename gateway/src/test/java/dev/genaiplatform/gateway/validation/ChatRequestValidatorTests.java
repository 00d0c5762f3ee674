package dev.genaiplatform.gateway.validation;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

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

    private final Tenant tenant = new Tenant("demo", List.of("sim-small"), new Tenant.RateLimit(1, 1, 1));

    @ParameterizedTest
    @ValueSource(strings = {
        "{'model':'sim-small','messages':[{'role':'user','content':'Hi'}]}",
        "{'model':'sim-small','stream':true,'messages':[{'role':'system','content':'Be brief'},{'role':'user','content':'Hi'}]}",
        "{'model':'sim-small','stream':null,'messages':[{'role':'user','content':[{'type':'text','text':' '},{'type':'text','text':'Hi'}]}]}",
        "{'model':'sim-small','messages':[{'role':'user','content':'Hi'},{'role':'assistant','content':null,'tool_calls':[{'id':'c1'}]},{'role':'tool','content':'42'}]}",
        "{'model':'sim-small','temperature':0.2,'max_tokens':64,'messages':[{'role':'developer','content':'x'}]}" })
    void acceptsWellFormedRequests(String body) {
        assertThatCode(() -> validator.validate(json(body), tenant)).doesNotThrowAnyException();
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
    void answers404ForAModelTheTenantMayNotUse() {
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
