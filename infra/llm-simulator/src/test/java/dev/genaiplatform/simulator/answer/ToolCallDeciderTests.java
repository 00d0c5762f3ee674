package dev.genaiplatform.simulator.answer;

import dev.genaiplatform.simulator.model.ToolCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ToolCallDeciderTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final ToolDefinition CALCULATOR = tool("calculator", "Evaluates an arithmetic expression exactly.",
            "{'type':'object','properties':{'expression':{'type':'string'}},'required':['expression'],"
                    + "'additionalProperties':false}");
    static final ToolDefinition WEATHER = tool("get_weather", "Get the current weather for a city.",
            "{'type':'object','properties':{'city':{'type':'string'},'unit':{'type':'string','enum':['celsius',"
                    + "'fahrenheit']},'days':{'type':'integer','minimum':1,'maximum':7}},'required':['city','unit']}");
    static final ToolDefinition SEARCH = tool("search_docs", "Search the platform documentation for passages.",
            "{'type':'object','properties':{'query':{'type':'string'},'limit':{'type':'integer'}},'required':['query']}");
    private static final List<ToolDefinition> ALL = List.of(SEARCH, WEATHER, CALCULATOR);

    private final ToolCallDecider decider = new ToolCallDecider(TermAnalyzer.english());

    @Test
    void callsTheCalculatorWithTheArithmeticOfTheQuestion() {
        ToolCall call = decide("What is (2+3)*4?", ToolChoice.AUTO).orElseThrow();

        assertThat(call.name()).isEqualTo("calculator");
        assertThat(call.arguments()).isEqualTo("{\"expression\":\"(2+3)*4\"}");
        assertThat(call.id()).matches("call_[0-9a-f]{24}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "what is 12 times 7          | 12 * 7",
            "Compute 3.5 divided by 0.5. | 3.5 / 0.5",
            "(how much is 10 - 4)        | 10 - 4",
            "Add 2 plus 2 plus 2 please  | 2 + 2 + 2"})
    void readsOperatorWordsAndDropsParenthesesTheSentenceOpened(String question, String expression) {
        assertThat(Arithmetic.find(question)).contains(expression);
    }

    @Test
    void findsNoArithmeticInPlainNumbers() {
        assertThat(Arithmetic.find("How many partitions do the 3 topics have?")).isEmpty();
    }

    @Test
    void theExpressionGoesToTheFirstStringParameterWhenNoneIsNamedLikeOne() {
        ToolDefinition math = tool("math", "Does maths.",
                "{'type':'object','properties':{'n':{'type':'integer'},'formula_text':{'type':'string'}}}");

        ToolCall call = decider.decide("What is 6*7?", List.of(math), ToolChoice.AUTO, "k").orElseThrow();

        assertThat(call.arguments()).isEqualTo("{\"formula_text\":\"6*7\"}");
    }

    @Test
    void arithmeticWithoutACalculationToolIsAnsweredInText() {
        assertThat(decider.decide("What is 2+2?", List.of(SEARCH, WEATHER), ToolChoice.AUTO, "k")).isEmpty();
    }

    @Test
    void aToolNamedInTheQuestionIsCalledEvenWhenTheWordsDoNotMatch() {
        ToolCall call = decide("Please use search_docs: how is a burst levelled?", ToolChoice.AUTO).orElseThrow();

        assertThat(call.name()).isEqualTo("search_docs");
        assertThat(args(call).get("query").asString()).isEqualTo("Please use search_docs: how is a burst levelled");
    }

    @Test
    void aToolNamedByItsWordsCountsAsNamedAndTheEarliestMentionWins() {
        assertThat(decide("get weather, or else the calculator, for Oslo", ToolChoice.AUTO).orElseThrow().name())
                .isEqualTo("get_weather");
    }

    @Test
    void aGoodMatchWithTheDescriptionFillsTheRequiredParametersFromTheQuestion() {
        ToolCall call = decide("What is the weather in New York in fahrenheit?", ToolChoice.AUTO).orElseThrow();

        JsonNode args = args(call);
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(args.get("city").asString()).isEqualTo("New York");
        assertThat(args.get("unit").asString()).isEqualTo("fahrenheit");
        assertThat(args.has("days")).as("optional parameters are left out").isFalse();
    }

    @Test
    void aWeakMatchIsAnsweredInText() {
        assertThat(decider.match("How does retrieval rank passages?", SEARCH)).isLessThan(ToolCallDecider.MIN_MATCH);
        assertThat(decide("How does retrieval rank passages?", ToolChoice.AUTO)).isEmpty();
    }

    @Test
    void toolChoiceNoneNeverCallsAndAForcedFunctionIsAlwaysCalled() {
        assertThat(decide("What is (2+3)*4?", ToolChoice.NONE)).isEmpty();

        ToolCall forced = decide("How does retrieval rank passages?", ToolChoice.function("get_weather")).orElseThrow();
        assertThat(forced.name()).isEqualTo("get_weather");
        assertThat(args(forced).get("unit").asString()).isEqualTo("celsius");
    }

    @Test
    void requiredCallsTheClosestToolWhenNoRuleFires() {
        ToolCall call = decide("How does retrieval rank passages?", ToolChoice.REQUIRED).orElseThrow();

        assertThat(call.name()).isEqualTo("search_docs");
    }

    @Test
    void theSameConversationGivesTheSameCallIdAndAnotherGivesAnother() {
        ToolCall first = decider.decide("What is 1+1?", ALL, ToolChoice.AUTO, "conversation-1").orElseThrow();
        ToolCall again = decider.decide("What is 1+1?", ALL, ToolChoice.AUTO, "conversation-1").orElseThrow();
        ToolCall other = decider.decide("What is 1+1?", ALL, ToolChoice.AUTO, "conversation-2").orElseThrow();

        assertThat(again).isEqualTo(first);
        assertThat(other.id()).isNotEqualTo(first.id());
    }

    static final ToolDefinition SEND_EMAIL = tool("send_email", "Queues an e-mail to the given recipients.",
            "{'type':'object','properties':{'to':{'type':'array','items':{'type':'string',"
                    + "'pattern':'^[^@\\\\s]{1,64}@[^@\\\\s]{1,190}$'},'minItems':1},'subject':{'type':'string',"
                    + "'maxLength':200},'body':{'type':'string'}},'required':['to','subject','body']}");
    static final ToolDefinition SUBMIT_CLAIM = tool("submit_claim", "Submits an insurance claim.",
            "{'type':'object','properties':{'policyNumber':{'type':'string','pattern':'^[A-Z]{2}-[0-9]{6}$'},"
                    + "'incidentDate':{'type':'string','pattern':'^[0-9]{4}-[0-9]{2}-[0-9]{2}$'},"
                    + "'amount':{'type':'number','exclusiveMinimum':0},'description':{'type':'string','minLength':10}},"
                    + "'required':['policyNumber','incidentDate','amount','description']}");

    @Test
    void copiesTheRecipientOutOfTheRequestWhenTheParameterHasAPattern() {
        ToolCall call = decider.decide("Please send_email to ada@example.com, saying the offsite moved to Friday.",
                List.of(SEND_EMAIL), ToolChoice.AUTO, "k").orElseThrow();

        assertThat(args(call).get("to").get(0).asString()).isEqualTo("ada@example.com");
        assertThat(args(call).get("subject").asString()).isNotBlank();
    }

    @Test
    void fillsPatternedIdentifiersAndDatesAndTakesTheAmountNotTheirDigits() {
        ToolCall call = decider.decide("submit_claim for policy HO-123456: a pipe burst on 2026-11-03, "
                + "damage of 1,250.50 in the kitchen.", List.of(SUBMIT_CLAIM), ToolChoice.AUTO, "k").orElseThrow();

        JsonNode arguments = args(call);
        assertThat(arguments.get("policyNumber").asString()).isEqualTo("HO-123456");
        assertThat(arguments.get("incidentDate").asString()).isEqualTo("2026-11-03");
        assertThat(arguments.get("amount").asDouble()).isEqualTo(1250.50);
    }

    @Test
    void withNothingThePatternAcceptsTheArgumentFallsBackToTheQuestion() {
        ToolCall call = decider.decide("send_email to the team about the offsite", List.of(SEND_EMAIL),
                ToolChoice.AUTO, "k").orElseThrow();

        assertThat(args(call).get("to").get(0).asString()).contains("offsite");
    }

    private Optional<ToolCall> decide(String question, ToolChoice choice) {
        return decider.decide(question, ALL, choice, "key");
    }

    private static JsonNode args(ToolCall call) {
        return JSON.readTree(call.arguments());
    }

    static ToolDefinition tool(String name, String description, String parameters) {
        return new ToolDefinition(name, description, JSON.readTree(parameters.replace('\'', '"')));
    }
}
