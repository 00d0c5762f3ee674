package dev.genaiplatform.tools.calculator;

import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.tools.registry.PlatformTool;
import dev.genaiplatform.tools.security.Caller;
import dev.genaiplatform.tools.registry.ToolArgumentException;
import net.objecthunter.exp4j.Expression;
import net.objecthunter.exp4j.ExpressionBuilder;
import net.objecthunter.exp4j.ValidationResult;
import net.objecthunter.exp4j.function.Function;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Evaluates arithmetic, because models are bad at it and a tool call is cheap and exact. The classic mistake is
 * to hand the expression to a script engine ({@code eval}): that runs code the model (or whoever injected the
 * prompt) wrote. Here a parser that knows only arithmetic evaluates it (exp4j), after a whitelist check:
 *
 * <ul>
 *   <li>at most {@value #MAX_EXPRESSION_LENGTH} characters;</li>
 *   <li>only digits, {@code .}, spaces, {@code + - * / % ^}, parentheses, and the names {@code sqrt},
 *       {@code abs}, {@code round} (half up); no variables, constants, other functions or implicit
 *       multiplication ({@code 2(3)} is an error);</li>
 *   <li>division by zero, a result that is not a real number (sqrt of a negative) or too large to represent
 *       fail with a clear error instead of returning {@code NaN} or {@code Infinity}.</li>
 * </ul>
 *
 * Result: {@code {"expression": "(2 + 3) * 4", "value": 20}}; whole numbers are written without a fraction.
 * Precision is that of a double: {@code 0.1 + 0.2} is {@code 0.30000000000000004}.
 */
public final class CalculatorTool implements PlatformTool {

    static final String NAME = "calculator";
    static final int MAX_EXPRESSION_LENGTH = 256;

    private static final Set<String> FUNCTIONS = Set.of("abs", "round", "sqrt");
    private static final String ALLOWED_SYMBOLS = ".+-*/%^() \t";
    private static final double LARGEST_EXACT_WHOLE_NUMBER = 9_007_199_254_740_992d; // 2^53

    /** exp4j has no round; half up, as people round by hand. */
    private static final Function ROUND = new Function("round", 1) {
        @Override
        public double apply(double... arguments) {
            return Math.floor(arguments[0] + 0.5);
        }
    };

    private final ToolDefinition definition;
    private final JsonMapper json;

    public CalculatorTool(JsonMapper json) {
        this.json = json;
        this.definition = ToolDefinition.builder()
                .name(NAME)
                .description("Evaluates an arithmetic expression exactly (as a double) and returns its value. "
                        + "Use it for any calculation instead of computing in your head.")
                .inputSchema(resource("tools/calculator.input-schema.json"))
                .build();
    }

    @Override
    public ToolDefinition getToolDefinition() {
        return definition;
    }

    @Override
    public RiskTier riskTier() {
        return RiskTier.READ;
    }

    /** Arithmetic needs no caller: the same for every tenant. */
    @Override
    public String run(String argumentsJson, Caller caller) {
        return call(argumentsJson);
    }

    @Override
    public String call(String toolInput) {
        String expression = expressionOf(toolInput);
        double value = evaluate(expression);
        ObjectNode result = json.createObjectNode().put("expression", expression);
        if (value == Math.rint(value) && Math.abs(value) <= LARGEST_EXACT_WHOLE_NUMBER) {
            result.put("value", (long) value);
        } else {
            result.put("value", value);
        }
        return json.writeValueAsString(result);
    }

    /** Evaluates a whitelisted arithmetic expression; see the class comment for what is allowed. */
    double evaluate(String expression) {
        checkWhitelist(expression);
        Expression parsed;
        try {
            parsed = new ExpressionBuilder(expression).functions(ROUND).implicitMultiplication(false).build();
        } catch (RuntimeException e) {
            throw invalidExpression(e.getMessage());
        }
        ValidationResult validation = parsed.validate();
        if (!validation.isValid()) {
            throw invalidExpression(String.join("; ", validation.getErrors()));
        }
        double value;
        try {
            value = parsed.evaluate();
        } catch (ArithmeticException e) {
            throw failure("Division by zero.");
        } catch (RuntimeException e) {
            throw invalidExpression(e.getMessage());
        }
        if (Double.isNaN(value)) {
            throw failure("The result is not a real number (for example, the square root of a negative number).");
        }
        if (Double.isInfinite(value)) {
            throw failure("The result is too large to represent.");
        }
        return value;
    }

    private String expressionOf(String toolInput) {
        JsonNode arguments;
        try {
            arguments = json.readTree(toolInput == null ? "" : toolInput);
        } catch (JacksonException e) {
            throw new ToolArgumentException("The arguments are not valid JSON.");
        }
        JsonNode expression = arguments == null ? null : arguments.get("expression");
        if (expression == null || !expression.isString() || expression.stringValue().isBlank()) {
            throw new ToolArgumentException("The argument 'expression' must be a non-empty string.");
        }
        return expression.stringValue();
    }

    private static void checkWhitelist(String expression) {
        if (expression.length() > MAX_EXPRESSION_LENGTH) {
            throw new ToolArgumentException("The expression is " + expression.length()
                    + " characters long; the limit is " + MAX_EXPRESSION_LENGTH + ".");
        }
        int position = 0;
        while (position < expression.length()) {
            char c = expression.charAt(position);
            if (isAsciiLetter(c)) {
                int end = position;
                while (end < expression.length() && isAsciiLetter(expression.charAt(end))) {
                    end++;
                }
                String name = expression.substring(position, end);
                if (!FUNCTIONS.contains(name)) {
                    throw new ToolArgumentException("'" + name + "' is not allowed: only numbers, + - * / % ^, "
                            + "parentheses and the functions abs, round, sqrt are.");
                }
                position = end;
            } else if (c >= '0' && c <= '9' || ALLOWED_SYMBOLS.indexOf(c) >= 0) {
                position++;
            } else {
                throw new ToolArgumentException("The character '" + c + "' at position " + position
                        + " is not allowed: only numbers, + - * / % ^, parentheses and the functions abs, round, sqrt are.");
            }
        }
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** exp4j's own words ("Too many operators", "Mismatched parentheses") when it has some. */
    private static ToolArgumentException invalidExpression(String why) {
        return new ToolArgumentException(why == null || why.isBlank()
                ? "Not a valid arithmetic expression." : "Not a valid arithmetic expression: " + why + ".");
    }

    private ToolExecutionException failure(String message) {
        return new ToolExecutionException(definition, new ArithmeticException(message));
    }

    private static String resource(String path) {
        try {
            return new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }
}
