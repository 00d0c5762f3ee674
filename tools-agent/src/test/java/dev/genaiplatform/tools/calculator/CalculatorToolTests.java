package dev.genaiplatform.tools.calculator;

import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.tools.registry.ToolArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.ai.tool.execution.ToolExecutionException;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CalculatorToolTests {

    private final CalculatorTool calculator = new CalculatorTool(JsonMapper.builder().build());

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '=', value = {
            "2 + 3 * 4 = 14",
            "(2 + 3) * 4 = 20",
            "2 ^ 3 ^ 2 = 512",
            "-3 + 5 = 2",
            "2 * -3 = -6",
            "-(2 + 3) = -5",
            "1.5 * 2 = 3",
            "7 / 2 = 3.5",
            "17 % 5 = 2",
            "sqrt(16) + abs(-2) = 6",
            "round(2.5) + round(-0.4) = 3",
            "((1 + 2) * (3 + 4)) / 7 = 3"})
    void evaluatesArithmeticWithTheUsualPrecedence(String expression, double expected) {
        assertThat(calculator.evaluate(expression)).isEqualTo(expected);
    }

    @Test
    void returnsTheExpressionAndAWholeNumberWithoutAFraction() {
        assertThat(calculator.call("{\"expression\":\"(2 + 3) * 4\"}"))
                .isEqualTo("{\"expression\":\"(2 + 3) * 4\",\"value\":20}");
    }

    @Test
    void returnsFractionsAsDoubles() {
        assertThat(calculator.call("{\"expression\":\"0.1 + 0.2\"}"))
                .isEqualTo("{\"expression\":\"0.1 + 0.2\",\"value\":0.30000000000000004}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1 / 0", "5 % 0", "1 / (2 - 2)"})
    void failsClearlyOnDivisionByZero(String expression) {
        assertThatThrownBy(() -> calculator.evaluate(expression))
                .isInstanceOf(ToolExecutionException.class).hasMessage("Division by zero.");
    }

    @Test
    void failsClearlyWhenTheResultIsNotARealNumberOrTooLarge() {
        assertThatThrownBy(() -> calculator.evaluate("sqrt(-1)"))
                .isInstanceOf(ToolExecutionException.class).hasMessageContaining("not a real number");
        assertThatThrownBy(() -> calculator.evaluate("10 ^ 400"))
                .isInstanceOf(ToolExecutionException.class).hasMessageContaining("too large");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "java.lang.Runtime.getRuntime().exec(\"rm -rf /\")",
            "x + 1",
            "pi * 2",
            "2e3",
            "cos(0)",
            "log(10)"})
    void rejectsAnyNameThatIsNotAnAllowedFunction(String expression) {
        assertThatThrownBy(() -> calculator.evaluate(expression))
                .isInstanceOf(ToolArgumentException.class).hasMessageContaining("is not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1; 2", "a = 1", "2 ! 3", "1,5 + 2", "'1'", "π"})
    void rejectsCharactersOutsideTheWhitelist(String expression) {
        assertThatThrownBy(() -> calculator.evaluate(expression)).isInstanceOf(ToolArgumentException.class);
    }

    @Test
    void rejectsExpressionsLongerThanTheLimit() {
        String tooLong = "1+".repeat(128) + "1"; // 257 characters

        assertThatThrownBy(() -> calculator.evaluate(tooLong))
                .isInstanceOf(ToolArgumentException.class).hasMessageContaining("limit is 256");
        assertThat(calculator.evaluate("1+".repeat(127) + "1")).isEqualTo(128);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2 +", "(1 + 2", "1 + 2)", "2(3)", "* 3", "()", "1..2"})
    void rejectsMalformedExpressions(String expression) {
        assertThatThrownBy(() -> calculator.evaluate(expression)).isInstanceOf(ToolArgumentException.class);
    }

    @Test
    void rejectsArgumentsWithoutAnExpressionEvenWhenCalledWithoutSchemaValidation() {
        assertThatThrownBy(() -> calculator.call("{}")).isInstanceOf(ToolArgumentException.class);
        assertThatThrownBy(() -> calculator.call("not json")).isInstanceOf(ToolArgumentException.class);
    }

    @Test
    void describesItselfAsALowRiskToolWithASchemaThatMatchesItsLimit() {
        assertThat(calculator.riskTier()).isEqualTo(RiskTier.READ);
        assertThat(calculator.getToolDefinition().name()).isEqualTo("calculator");
        assertThat(calculator.getToolDefinition().inputSchema())
                .contains("\"maxLength\": " + CalculatorTool.MAX_EXPRESSION_LENGTH)
                .contains("\"required\": [\"expression\"]");
    }
}
