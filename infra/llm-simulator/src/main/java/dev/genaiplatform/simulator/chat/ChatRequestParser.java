package dev.genaiplatform.simulator.chat;

import dev.genaiplatform.simulator.model.ChatMessage;
import dev.genaiplatform.simulator.model.ToolCall;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a request body by hand rather than binding it to a class, so every mistake gets the precise
 * OpenAI error (which parameter, what type was expected) instead of a generic binding failure.
 */
final class ChatRequestParser {

    private static final List<String> ROLES = List.of("system", "developer", "user", "assistant", "tool", "function");

    private final JsonMapper json;

    ChatRequestParser(JsonMapper json) {
        this.json = json;
    }

    JsonNode readJson(byte[] body) {
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            throw OpenAiError.invalidJson();
        }
    }

    ChatCompletionRequest parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw OpenAiError.notAnObject();
        }
        String model = requiredString(root, "model", "model");
        List<ChatMessage> messages = messages(root.get("messages"));
        boolean stream = optionalBoolean(root.get("stream"), "stream");
        boolean includeUsage = false;
        JsonNode streamOptions = root.get("stream_options");
        if (streamOptions != null && !streamOptions.isNull()) {
            if (!streamOptions.isObject()) {
                throw OpenAiError.invalidType("stream_options", "an object", streamOptions);
            }
            includeUsage = optionalBoolean(streamOptions.get("include_usage"), "stream_options.include_usage");
        }
        Integer maxTokens = optionalPositiveInt(root.get("max_completion_tokens"), "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = optionalPositiveInt(root.get("max_tokens"), "max_tokens");
        }
        return new ChatCompletionRequest(model, messages, stream, includeUsage, maxTokens,
                ChatOptionsParser.parse(root, messages), ChatOptionsParser.n(root.get("n")));
    }

    private static List<ChatMessage> messages(JsonNode node) {
        if (node == null || node.isNull()) {
            throw OpenAiError.missing("messages");
        }
        if (!node.isArray()) {
            throw OpenAiError.invalidType("messages", "an array", node);
        }
        if (node.isEmpty()) {
            throw OpenAiError.emptyArray("messages");
        }
        List<ChatMessage> messages = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            messages.add(message(node.get(i), "messages[" + i + "]"));
        }
        return messages;
    }

    private static ChatMessage message(JsonNode node, String path) {
        if (!node.isObject()) {
            throw OpenAiError.invalidType(path, "an object", node);
        }
        String role = requiredString(node, "role", path + ".role");
        if (!ROLES.contains(role)) {
            throw OpenAiError.invalidValue(path + ".role", role, ROLES);
        }
        String content = content(node.get("content"), path + ".content", role);
        JsonNode name = node.get("name");
        if (name != null && !name.isNull() && !name.isString()) {
            throw OpenAiError.invalidType(path + ".name", "a string", name);
        }
        List<ToolCall> toolCalls = "assistant".equals(role) ? toolCalls(node.get("tool_calls"), path + ".tool_calls")
                : List.of();
        String toolCallId = "tool".equals(role) ? requiredString(node, "tool_call_id", path + ".tool_call_id") : null;
        return new ChatMessage(role, content, name == null || name.isNull() ? null : name.stringValue(), toolCalls,
                toolCallId);
    }

    /** An assistant message's {@code tool_calls}: {@code [{id, type: "function", function: {name, arguments}}]}. */
    private static List<ToolCall> toolCalls(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw OpenAiError.invalidType(path, "an array", node);
        }
        List<ToolCall> calls = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode call = node.get(i);
            if (!call.isObject()) {
                throw OpenAiError.invalidType(at, "an object", call);
            }
            String type = requiredString(call, "type", at + ".type");
            if (!"function".equals(type)) {
                throw OpenAiError.invalidValue(at + ".type", type, List.of("function"));
            }
            JsonNode function = call.get("function");
            if (function == null || !function.isObject()) {
                throw function == null || function.isNull() ? OpenAiError.missing(at + ".function")
                        : OpenAiError.invalidType(at + ".function", "an object", function);
            }
            calls.add(new ToolCall(requiredString(call, "id", at + ".id"),
                    requiredString(function, "name", at + ".function.name"),
                    requiredString(function, "arguments", at + ".function.arguments")));
        }
        return calls;
    }

    /** A string, or an array of content parts whose text parts are joined; null only for an assistant. */
    private static String content(JsonNode node, String path, String role) {
        if (node == null || node.isNull()) {
            if ("assistant".equals(role)) {
                return "";
            }
            throw OpenAiError.missing(path);
        }
        if (node.isString()) {
            return node.stringValue();
        }
        if (!node.isArray()) {
            throw OpenAiError.invalidType(path, "one of a string or array of objects", node);
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode part = node.get(i);
            if (!part.isObject()) {
                throw OpenAiError.invalidType(path + "[" + i + "]", "an object", part);
            }
            JsonNode text = part.get("text");
            JsonNode type = part.get("type");
            if (type != null && type.isString() && "text".equals(type.stringValue()) && text != null && text.isString()) {
                texts.add(text.stringValue());
            }
        }
        return String.join("\n", texts);
    }

    private static String requiredString(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw OpenAiError.missing(path);
        }
        if (!node.isString()) {
            throw OpenAiError.invalidType(path, "a string", node);
        }
        return node.stringValue();
    }

    private static boolean optionalBoolean(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw OpenAiError.invalidType(path, "a boolean", node);
        }
        return node.booleanValue();
    }

    private static Integer optionalPositiveInt(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber()) {
            throw OpenAiError.invalidType(path, "an integer", node);
        }
        if (!node.canConvertToInt() && node.bigIntegerValue().signum() > 0) {
            return Integer.MAX_VALUE; // more than any context window holds: the same as no limit
        }
        if (!node.canConvertToInt() || node.intValue() < 1) {
            throw OpenAiError.belowMinimum(path, 1, node.bigIntegerValue().toString());
        }
        return node.intValue();
    }
}
