package dev.genaiplatform.simulator.chat;

import dev.genaiplatform.simulator.answer.ReplyOptions;
import dev.genaiplatform.simulator.answer.ResponseFormat;
import dev.genaiplatform.simulator.answer.Sampling;
import dev.genaiplatform.simulator.answer.ToolChoice;
import dev.genaiplatform.simulator.answer.ToolDefinition;
import dev.genaiplatform.simulator.answer.UnsupportedSchemaException;
import dev.genaiplatform.simulator.model.ChatMessage;
import dev.genaiplatform.simulator.model.ToolCall;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks what shapes the reply besides the messages: {@code tools}, {@code tool_choice},
 * {@code response_format}, {@code temperature}, {@code top_p}, {@code seed}, {@code n} and {@code stop},
 * and that {@code tool} messages answer a call. Each mistake gets the error OpenAI gives for it.
 */
final class ChatOptionsParser {

    private static final Pattern FUNCTION_NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
    private static final int MAX_STOP = 4;
    private static final int MAX_N = 128;

    private ChatOptionsParser() {
    }

    static ReplyOptions parse(JsonNode root, List<ChatMessage> messages) {
        checkToolMessages(messages);
        List<ToolDefinition> tools = tools(root.get("tools"));
        ToolChoice choice = toolChoice(root.get("tool_choice"), tools);
        ResponseFormat format = responseFormat(root.get("response_format"), messages);
        Double temperature = decimal(root.get("temperature"), "temperature", 2);
        Double topP = decimal(root.get("top_p"), "top_p", 1);
        Long seed = seed(root.get("seed"));
        return new ReplyOptions(tools, choice, format, new Sampling(temperature, topP, seed, stop(root.get("stop"))));
    }

    /** Every tool message answers a call of the assistant message before it, and every call is answered. */
    private static void checkToolMessages(List<ChatMessage> messages) {
        Set<String> open = new LinkedHashSet<>();
        int caller = -1;
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            if (message.isToolResult()) {
                if (caller < 0) {
                    throw OpenAiError.invalidParameter("messages.[" + i + "].role", "Invalid parameter: messages with "
                            + "role 'tool' must be a response to a preceeding message with 'tool_calls'.");
                }
                if (!open.remove(message.toolCallId())) {
                    throw OpenAiError.invalidParameter("messages.[" + i + "].tool_call_id", "Invalid parameter: "
                            + "'tool_call_id' of '" + message.toolCallId() + "' not found in 'tool_calls' of previous "
                            + "message.");
                }
                continue;
            }
            unanswered(open, caller);
            caller = -1;
            if (!message.toolCalls().isEmpty()) {
                caller = i;
                message.toolCalls().stream().map(ToolCall::id).forEach(open::add);
            }
        }
        unanswered(open, caller);
    }

    private static void unanswered(Set<String> open, int caller) {
        if (!open.isEmpty()) {
            throw OpenAiError.invalidParameter("messages.[" + caller + "].role", "An assistant message with "
                    + "'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following "
                    + "tool_call_ids did not have response messages: " + String.join(", ", open));
        }
    }

    private static List<ToolDefinition> tools(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw OpenAiError.invalidType("tools", "an array", node);
        }
        List<ToolDefinition> tools = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "tools[" + i + "]";
            JsonNode tool = object(node.get(i), path);
            String type = string(tool.get("type"), path + ".type");
            if (!"function".equals(type)) {
                throw OpenAiError.invalidValue(path + ".type", type, List.of("function"));
            }
            JsonNode function = object(tool.get("function"), path + ".function");
            String name = string(function.get("name"), path + ".function.name");
            if (!FUNCTION_NAME.matcher(name).matches()) {
                throw OpenAiError.invalidParameter(path + ".function.name", "Invalid '" + path + ".function.name': "
                        + "string does not match pattern. Expected a string that matches the pattern "
                        + "'^[a-zA-Z0-9_-]{1,64}$'.");
            }
            if (!names.add(name)) {
                throw OpenAiError.invalidParameter("tools", "Invalid 'tools': duplicate function name '" + name + "'.");
            }
            JsonNode description = function.get("description");
            if (description != null && !description.isNull() && !description.isString()) {
                throw OpenAiError.invalidType(path + ".function.description", "a string", description);
            }
            tools.add(new ToolDefinition(name, description == null || description.isNull() ? ""
                    : description.stringValue(), parameters(function.get("parameters"), path + ".function.parameters")));
        }
        return tools;
    }

    /** The parameters schema; absent or {@code {}} means "no parameters", an object with none. */
    private static JsonNode parameters(JsonNode node, String path) {
        if (node == null || node.isNull() || node.isObject() && node.isEmpty()) {
            ObjectNode empty = JsonNodeFactory.instance.objectNode();
            empty.put("type", "object");
            empty.putObject("properties");
            return empty;
        }
        if (!node.isObject()) {
            throw OpenAiError.invalidType(path, "an object", node);
        }
        JsonNode type = node.get("type");
        if (type != null && !(type.isString() && "object".equals(type.stringValue()))) {
            throw OpenAiError.invalidFunctionParameters(path, "Invalid schema for function parameters: schema must be "
                    + "a JSON Schema of 'type: \"object\"', got 'type: " + type + "'.");
        }
        try {
            ToolDefinition.checkParameters(node);
        } catch (UnsupportedSchemaException e) {
            throw OpenAiError.invalidFunctionParameters(path, "Invalid schema for function parameters: "
                    + e.getMessage());
        }
        return node;
    }

    private static ToolChoice toolChoice(JsonNode node, List<ToolDefinition> tools) {
        if (node == null || node.isNull()) {
            return tools.isEmpty() ? ToolChoice.NONE : ToolChoice.AUTO;
        }
        if (tools.isEmpty()) {
            throw OpenAiError.invalidParameter("tool_choice", "Invalid value for 'tool_choice': 'tool_choice' is only "
                    + "allowed when 'tools' are specified.");
        }
        if (node.isString()) {
            return switch (node.stringValue()) {
                case "none" -> ToolChoice.NONE;
                case "auto" -> ToolChoice.AUTO;
                case "required" -> ToolChoice.REQUIRED;
                default -> throw OpenAiError.invalidValue("tool_choice", node.stringValue(),
                        List.of("none", "auto", "required"));
            };
        }
        JsonNode choice = object(node, "tool_choice");
        String type = string(choice.get("type"), "tool_choice.type");
        if (!"function".equals(type)) {
            throw OpenAiError.invalidValue("tool_choice.type", type, List.of("function"));
        }
        String name = string(object(choice.get("function"), "tool_choice.function").get("name"),
                "tool_choice.function.name");
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw OpenAiError.invalidParameter("tool_choice", "Invalid value for 'tool_choice': function '" + name
                    + "' is not one of the 'tools'.");
        }
        return ToolChoice.function(name);
    }

    private static ResponseFormat responseFormat(JsonNode node, List<ChatMessage> messages) {
        if (node == null || node.isNull()) {
            return ResponseFormat.TEXT;
        }
        JsonNode format = object(node, "response_format");
        String type = string(format.get("type"), "response_format.type");
        return switch (type) {
            case "text" -> ResponseFormat.TEXT;
            case "json_object" -> {
                if (messages.stream().noneMatch(m -> m.content().toLowerCase(Locale.ROOT).contains("json"))) {
                    throw OpenAiError.invalidParameter("messages", "'messages' must contain the word 'json' in some "
                            + "form, to use 'response_format' of type 'json_object'.");
                }
                yield new ResponseFormat.JsonObject();
            }
            case "json_schema" -> jsonSchema(object(format.get("json_schema"), "response_format.json_schema"));
            default -> throw OpenAiError.invalidValue("response_format.type", type,
                    List.of("text", "json_object", "json_schema"));
        };
    }

    private static ResponseFormat jsonSchema(JsonNode spec) {
        String name = string(spec.get("name"), "response_format.json_schema.name");
        if (!FUNCTION_NAME.matcher(name).matches()) {
            throw OpenAiError.invalidParameter("response_format.json_schema.name", "Invalid "
                    + "'response_format.json_schema.name': string does not match pattern. Expected a string that "
                    + "matches the pattern '^[a-zA-Z0-9_-]{1,64}$'.");
        }
        JsonNode strict = spec.get("strict");
        if (strict != null && !strict.isNull() && !strict.isBoolean()) {
            throw OpenAiError.invalidType("response_format.json_schema.strict", "a boolean", strict);
        }
        JsonNode schema = spec.get("schema");
        if (schema == null || schema.isNull()) {
            return new ResponseFormat.JsonObject();
        }
        if (!schema.isObject()) {
            throw OpenAiError.invalidType("response_format.json_schema.schema", "an object", schema);
        }
        try {
            ResponseFormat.checkSchema(schema);
        } catch (UnsupportedSchemaException e) {
            throw OpenAiError.invalidParameter("response_format", "Invalid schema for response_format '" + name
                    + "': " + e.getMessage());
        }
        return new ResponseFormat.JsonSchema(name, schema, strict != null && strict.booleanValue());
    }

    private static Double decimal(JsonNode node, String param, double maximum) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw OpenAiError.invalidType(param, "a decimal", node);
        }
        double value = node.doubleValue();
        if (value < 0) {
            throw OpenAiError.belowMinimum(param, "decimal", 0, node.toString());
        }
        if (value > maximum) {
            throw OpenAiError.aboveMaximum(param, "decimal", (int) maximum, node.toString());
        }
        return value;
    }

    private static Long seed(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw OpenAiError.invalidType("seed", "an integer", node);
        }
        return node.longValue();
    }

    /** {@code n}, the number of choices: 1 when absent, 1..128 as OpenAI allows. */
    static int n(JsonNode node) {
        if (node == null || node.isNull()) {
            return 1;
        }
        if (!node.isIntegralNumber()) {
            throw OpenAiError.invalidType("n", "an integer", node);
        }
        if (!node.canConvertToInt() || node.intValue() > MAX_N) {
            if (node.bigIntegerValue().signum() > 0) {
                throw OpenAiError.aboveMaximum("n", "integer", MAX_N, node.bigIntegerValue().toString());
            }
        }
        if (!node.canConvertToInt() || node.intValue() < 1) {
            throw OpenAiError.belowMinimum("n", "integer", 1, node.bigIntegerValue().toString());
        }
        return node.intValue();
    }

    private static List<String> stop(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isString()) {
            return List.of(node.stringValue());
        }
        if (!node.isArray()) {
            throw OpenAiError.invalidType("stop", "one of a string or array of strings", node);
        }
        if (node.size() > MAX_STOP) {
            throw OpenAiError.arrayTooLong("stop", MAX_STOP, node.size());
        }
        List<String> stops = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            stops.add(string(node.get(i), "stop[" + i + "]"));
        }
        return stops.stream().filter(s -> !s.isEmpty()).toList();
    }

    private static JsonNode object(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            throw OpenAiError.missing(path);
        }
        if (!node.isObject()) {
            throw OpenAiError.invalidType(path, "an object", node);
        }
        return node;
    }

    private static String string(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            throw OpenAiError.missing(path);
        }
        if (!node.isString()) {
            throw OpenAiError.invalidType(path, "a string", node);
        }
        return node.stringValue();
    }
}
