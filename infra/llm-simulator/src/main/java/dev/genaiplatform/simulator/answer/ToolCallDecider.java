package dev.genaiplatform.simulator.answer;

import dev.genaiplatform.simulator.model.ToolCall;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether the model calls one of the offered tools, which one, and with what arguments. The rules,
 * tried in this order on the last user message:
 * <ol>
 *   <li>{@code tool_choice} names a function: call it. {@code none}: call nothing.</li>
 *   <li>The message names a tool: its name as a word ("get_weather"), or the name's words ("get weather").
 *       The earliest mention wins.</li>
 *   <li>The message holds arithmetic ({@link Arithmetic}) and a tool's name or description suggests
 *       calculation (calc, math, arithmetic, compute, evaluate, expression): call it with the expression.</li>
 *   <li>A tool's name and description share at least {@link #MIN_MATCH} of the message's distinct content
 *       words (same analysis as the answer's relevance), not counting words that look like argument values
 *       (capitalised words after the first, numbers, the parameters' enum values): the best-matching tool,
 *       ties to the first offered.</li>
 *   <li>{@code required} and no rule matched: the tool sharing the most words, else the first.</li>
 * </ol>
 * Arguments: the tool's required parameters, filled by {@link QuestionValues} and bent to the parameters'
 * schema by {@link SchemaInstanceWriter}; the expression is set even when its parameter is optional.
 */
final class ToolCallDecider {

    /** Share of the question's distinct content words a tool's name and description must contain. */
    static final double MIN_MATCH = 0.5;
    private static final Pattern CALCULATION = Pattern.compile("calc|math|arithmetic|comput|evaluat|expression");
    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TermAnalyzer analyzer;

    ToolCallDecider(TermAnalyzer analyzer) {
        this.analyzer = analyzer;
    }

    Optional<ToolCall> decide(String question, List<ToolDefinition> tools, ToolChoice choice, String conversationKey) {
        if (tools.isEmpty() || choice.mode() == ToolChoice.Mode.NONE) {
            return Optional.empty();
        }
        Optional<String> arithmetic = Arithmetic.find(question);
        Optional<ToolDefinition> tool = switch (choice.mode()) {
            case FUNCTION -> tools.stream().filter(t -> t.name().equals(choice.function())).findFirst();
            case REQUIRED -> byRules(question, tools, arithmetic).or(() -> Optional.of(closest(question, tools)));
            default -> byRules(question, tools, arithmetic);
        };
        return tool.map(t -> call(t, question, isCalculator(t) ? arithmetic.orElse(null) : null, conversationKey));
    }

    private Optional<ToolDefinition> byRules(String question, List<ToolDefinition> tools, Optional<String> arithmetic) {
        Optional<ToolDefinition> named = named(question, tools);
        if (named.isPresent()) {
            return named;
        }
        if (arithmetic.isPresent()) {
            Optional<ToolDefinition> calculator = tools.stream().filter(ToolCallDecider::isCalculator).findFirst();
            if (calculator.isPresent()) {
                return calculator;
            }
        }
        ToolDefinition best = closest(question, tools);
        return match(question, best) >= MIN_MATCH ? Optional.of(best) : Optional.empty();
    }

    private static Optional<ToolDefinition> named(String question, List<ToolDefinition> tools) {
        ToolDefinition first = null;
        int firstAt = Integer.MAX_VALUE;
        for (ToolDefinition tool : tools) {
            for (String form : new LinkedHashSet<>(List.of(tool.name(), words(tool.name())))) {
                Matcher m = Pattern.compile("(?i)(?<![\\p{L}\\p{N}_])" + Pattern.quote(form) + "(?![\\p{L}\\p{N}_])")
                        .matcher(question);
                if (m.find() && m.start() < firstAt) {
                    first = tool;
                    firstAt = m.start();
                }
            }
        }
        return Optional.ofNullable(first);
    }

    static boolean isCalculator(ToolDefinition tool) {
        return CALCULATION.matcher((tool.name() + " " + tool.description()).toLowerCase(Locale.ROOT)).find();
    }

    /** The tool sharing the largest share of the question's words; ties go to the earlier tool. */
    private ToolDefinition closest(String question, List<ToolDefinition> tools) {
        return tools.stream().max(Comparator.comparingDouble((ToolDefinition t) -> match(question, t))
                .thenComparing(t -> -tools.indexOf(t))).orElseThrow();
    }

    double match(String question, ToolDefinition tool) {
        Set<String> asked = new LinkedHashSet<>(analyzer.terms(QuestionValues.withoutValues(question,
                enumValues(tool.parameters()))));
        if (asked.isEmpty()) {
            return 0;
        }
        Set<String> offered = new LinkedHashSet<>(analyzer.terms(words(tool.name()) + " " + tool.description()));
        return asked.stream().filter(offered::contains).count() / (double) asked.size();
    }

    private static List<String> enumValues(JsonNode parameters) {
        List<String> values = new ArrayList<>();
        for (JsonNode property : parameters.path("properties").values()) {
            property.path("enum").values().forEach(v -> values.add(v.asString()));
        }
        return values;
    }

    /** "get_weather", "get-weather" and "getWeather" all read as "get weather". */
    static String words(String name) {
        return CAMEL.matcher(name).replaceAll("$1 $2").replaceAll("[_\\-]+", " ").toLowerCase(Locale.ROOT).strip();
    }

    private static ToolCall call(ToolDefinition tool, String question, String expression, String conversationKey) {
        String expressionParameter = expression == null ? null : expressionParameter(tool.parameters());
        JsonNode arguments = SchemaInstanceWriter.write(tool.parameters(),
                new QuestionValues(question, expression, expressionParameter), true);
        if (expressionParameter != null && arguments instanceof ObjectNode object && !object.has(expressionParameter)) {
            object.put(expressionParameter, expression);
        }
        String text = JSON.writeValueAsString(arguments);
        String id = "call_" + UUID.nameUUIDFromBytes((conversationKey + "\u0000" + tool.name() + "\u0000" + text)
                .getBytes(StandardCharsets.UTF_8)).toString().replace("-", "").substring(0, 24);
        return new ToolCall(id, tool.name(), text);
    }

    /** Where the expression goes: a string parameter with an expression-like name, else the first string one. */
    static String expressionParameter(JsonNode parameters) {
        String first = null;
        for (Map.Entry<String, JsonNode> p : parameters.path("properties").properties()) {
            JsonNode type = p.getValue().path("type");
            if (type.isString() && "string".equals(type.stringValue())) {
                if (QuestionValues.EXPRESSION_NAMES.contains(p.getKey().toLowerCase(Locale.ROOT))) {
                    return p.getKey();
                }
                first = first == null ? p.getKey() : first;
            }
        }
        boolean open = parameters.path("properties").isEmpty()
                && !parameters.path("additionalProperties").isBoolean();
        return first == null && open ? "expression" : first;
    }
}
