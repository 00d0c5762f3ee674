package dev.genaiplatform.gateway.validation;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import static dev.genaiplatform.gateway.validation.JsonRules.absent;
import static dev.genaiplatform.gateway.validation.JsonRules.invalidType;
import static dev.genaiplatform.gateway.validation.JsonRules.invalidValue;
import static dev.genaiplatform.gateway.validation.JsonRules.missing;
import static dev.genaiplatform.gateway.validation.JsonRules.optionalBoolean;
import static dev.genaiplatform.gateway.validation.JsonRules.optionalDecimal;
import static dev.genaiplatform.gateway.validation.JsonRules.optionalInteger;
import static dev.genaiplatform.gateway.validation.JsonRules.optionalObject;
import static dev.genaiplatform.gateway.validation.JsonRules.optionalString;
import static dev.genaiplatform.gateway.validation.JsonRules.requireMatch;
import static dev.genaiplatform.gateway.validation.JsonRules.requireObject;
import static dev.genaiplatform.gateway.validation.JsonRules.requireOneOf;
import static dev.genaiplatform.gateway.validation.JsonRules.requireString;

/**
 * The optional chat-completions parameters a client passes through the platform to the model:
 * tools and tool choice, structured output, sampling. Each is checked only for its type and range, as
 * OpenAI documents them, so that a mistake is a 400 here rather than a confusing failure three services
 * later; the body itself is forwarded unchanged. Whether the model honours a parameter is the model's
 * business (see the simulator's README for what it supports).
 */
final class ChatParametersValidator {

    /** OpenAI's rule for function names. */
    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private static final List<String> TOOL_CHOICES = List.of("none", "auto", "required");

    private static final List<String> RESPONSE_FORMATS = List.of("text", "json_object", "json_schema");

    private static final int MAX_STOP_SEQUENCES = 4;

    private ChatParametersValidator() {
    }

    static void validate(JsonNode request) {
        Set<String> toolNames = tools(request.get("tools"));
        toolChoice(request.get("tool_choice"), toolNames);
        responseFormat(request.get("response_format"));
        optionalInteger(request, "seed", Long.MIN_VALUE);
        optionalDecimal(request, "temperature", 0, 2);
        optionalDecimal(request, "top_p", 0, 1);
        optionalInteger(request, "max_tokens", 1);
        optionalInteger(request, "max_completion_tokens", 1);
        optionalInteger(request, "n", 1);
        stop(request.get("stop"));
        JsonNode streamOptions = request.get("stream_options");
        if (!absent(streamOptions)) {
            requireObject(streamOptions, "stream_options");
            optionalBoolean(streamOptions, "include_usage", "stream_options.include_usage");
        }
        optionalString(request, "user", "user");
    }

    /** @return the names of the offered functions */
    private static Set<String> tools(JsonNode tools) {
        Set<String> names = new HashSet<>();
        if (absent(tools)) {
            return names;
        }
        if (!tools.isArray()) {
            throw invalidType("tools", "an array of objects", tools);
        }
        for (int i = 0; i < tools.size(); i++) {
            String at = "tools[" + i + "]";
            JsonNode tool = tools.get(i);
            requireObject(tool, at);
            requireOneOf(tool, "type", at + ".type", List.of("function"));
            JsonNode function = tool.get("function");
            if (absent(function)) {
                throw missing(at + ".function");
            }
            requireObject(function, at + ".function");
            String name = requireString(function, "name", at + ".function.name");
            requireMatch(name, FUNCTION_NAME, at + ".function.name",
                    "must be 1 to 64 letters, digits, underscores or dashes");
            optionalString(function, "description", at + ".function.description");
            optionalObject(function, "parameters", at + ".function.parameters");
            optionalBoolean(function, "strict", at + ".function.strict");
            names.add(name);
        }
        return names;
    }

    /** A string mode, or {@code {"type":"function","function":{"name":...}}} naming an offered function. */
    private static void toolChoice(JsonNode choice, Set<String> toolNames) {
        if (absent(choice)) {
            return;
        }
        if (choice.isString()) {
            String mode = choice.stringValue();
            if (!TOOL_CHOICES.contains(mode)) {
                throw invalidValue("tool_choice", "must be one of " + String.join(", ", TOOL_CHOICES)
                        + ", or an object naming a function");
            }
            if (mode.equals("required") && toolNames.isEmpty()) {
                throw invalidValue("tool_choice", "'required' is only allowed when 'tools' are specified");
            }
            return;
        }
        if (!choice.isObject()) {
            throw invalidType("tool_choice", "a string or an object", choice);
        }
        requireOneOf(choice, "type", "tool_choice.type", List.of("function"));
        JsonNode function = choice.get("function");
        if (absent(function)) {
            throw missing("tool_choice.function");
        }
        requireObject(function, "tool_choice.function");
        String name = requireString(function, "name", "tool_choice.function.name");
        if (!toolNames.contains(name)) {
            throw invalidValue("tool_choice.function.name", "names a function that is not in 'tools'");
        }
    }

    private static void responseFormat(JsonNode format) {
        if (absent(format)) {
            return;
        }
        requireObject(format, "response_format");
        String type = requireOneOf(format, "type", "response_format.type", RESPONSE_FORMATS);
        if (!type.equals("json_schema")) {
            return;
        }
        JsonNode schema = format.get("json_schema");
        if (absent(schema)) {
            throw missing("response_format.json_schema");
        }
        requireObject(schema, "response_format.json_schema");
        String name = requireString(schema, "name", "response_format.json_schema.name");
        requireMatch(name, FUNCTION_NAME, "response_format.json_schema.name",
                "must be 1 to 64 letters, digits, underscores or dashes");
        optionalString(schema, "description", "response_format.json_schema.description");
        optionalObject(schema, "schema", "response_format.json_schema.schema");
        optionalBoolean(schema, "strict", "response_format.json_schema.strict");
    }

    /** A string, or an array of at most four strings. */
    private static void stop(JsonNode stop) {
        if (absent(stop) || stop.isString()) {
            return;
        }
        if (!stop.isArray()) {
            throw invalidType("stop", "a string or an array of strings", stop);
        }
        if (stop.size() > MAX_STOP_SEQUENCES) {
            throw invalidValue("stop", "array too long. Expected an array with at most " + MAX_STOP_SEQUENCES
                    + " elements, but got an array with " + stop.size() + " elements instead");
        }
        for (int i = 0; i < stop.size(); i++) {
            if (!stop.get(i).isString()) {
                throw invalidType("stop[" + i + "]", "a string", stop.get(i));
            }
        }
    }
}
