package dev.genaiplatform.gateway.validation;

import java.util.List;
import java.util.regex.Pattern;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.gateway.problem.Problems;
import tools.jackson.databind.JsonNode;

/**
 * The small vocabulary the chat validation is written in: "this field, if present, is a string", and
 * OpenAI-style 400s naming the parameter at fault ({@code messages[2].tool_calls[0].function.name}).
 * An explicit JSON {@code null} counts as absent, as OpenAI treats it for optional fields.
 */
final class JsonRules {

    private JsonRules() {
    }

    static boolean absent(JsonNode node) {
        return node == null || node.isNull();
    }

    static void requireObject(JsonNode node, String param) {
        if (!node.isObject()) {
            throw invalidType(param, "an object", node);
        }
    }

    /** A required string; blank is allowed (callers that care check it). */
    static String requireString(JsonNode parent, String field, String param) {
        JsonNode node = parent.get(field);
        if (absent(node)) {
            throw missing(param);
        }
        if (!node.isString()) {
            throw invalidType(param, "a string", node);
        }
        return node.stringValue();
    }

    static void optionalString(JsonNode parent, String field, String param) {
        JsonNode node = parent.get(field);
        if (!absent(node) && !node.isString()) {
            throw invalidType(param, "a string", node);
        }
    }

    static void optionalBoolean(JsonNode parent, String field, String param) {
        JsonNode node = parent.get(field);
        if (!absent(node) && !node.isBoolean()) {
            throw invalidType(param, "a boolean", node);
        }
    }

    static void optionalObject(JsonNode parent, String field, String param) {
        JsonNode node = parent.get(field);
        if (!absent(node)) {
            requireObject(node, param);
        }
    }

    static void optionalInteger(JsonNode parent, String field, long min) {
        JsonNode node = parent.get(field);
        if (absent(node)) {
            return;
        }
        if (!node.isIntegralNumber()) {
            throw invalidType(field, "an integer", node);
        }
        if (!node.canConvertToLong()) {
            throw invalidValue(field, "integer out of range");
        }
        if (node.longValue() < min) {
            throw invalidValue(field, "integer below minimum value. Expected a value >= " + min + ", but got "
                    + node.longValue() + " instead");
        }
    }

    static void optionalDecimal(JsonNode parent, String field, double min, double max) {
        JsonNode node = parent.get(field);
        if (absent(node)) {
            return;
        }
        if (!node.isNumber()) {
            throw invalidType(field, "a decimal", node);
        }
        double value = node.doubleValue();
        if (value < min) {
            throw invalidValue(field, "decimal below minimum value. Expected a value >= " + format(min)
                    + ", but got " + node.numberValue() + " instead");
        }
        if (value > max) {
            throw invalidValue(field, "decimal above maximum value. Expected a value <= " + format(max)
                    + ", but got " + node.numberValue() + " instead");
        }
    }

    /** A required string equal to one of {@code allowed}. */
    static String requireOneOf(JsonNode parent, String field, String param, List<String> allowed) {
        String value = requireString(parent, field, param);
        if (!allowed.contains(value)) {
            throw invalidValue(param, "must be one of " + String.join(", ", allowed) + ", but got '" + shorten(value) + "'");
        }
        return value;
    }

    static void requireMatch(String value, Pattern pattern, String param, String rule) {
        if (!pattern.matcher(value).matches()) {
            throw invalidValue(param, rule);
        }
    }

    static RuntimeException missing(String param) {
        return Problems.exception(ProblemType.MISSING_REQUIRED_PARAMETER, "Missing required parameter: '" + param + "'.", param);
    }

    static RuntimeException invalidType(String param, String expected, JsonNode actual) {
        return Problems.exception(ProblemType.INVALID_TYPE, "Invalid type for '" + param + "': expected " + expected
                + ", but got " + describe(actual) + " instead.", param);
    }

    static RuntimeException invalidValue(String param, String rule) {
        return Problems.exception(ProblemType.INVALID_VALUE, "Invalid '" + param + "': " + rule + ".", param);
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> node.isIntegralNumber() ? "an integer" : "a decimal";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase();
        };
    }

    private static String format(double bound) {
        return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
    }

    /** Values end up in an error message that may be logged: never echo much of the caller's text. */
    private static String shorten(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
