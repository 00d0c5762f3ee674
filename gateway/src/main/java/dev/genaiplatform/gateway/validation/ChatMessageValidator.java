package dev.genaiplatform.gateway.validation;

import java.util.List;

import tools.jackson.databind.JsonNode;

import static dev.genaiplatform.gateway.validation.JsonRules.absent;
import static dev.genaiplatform.gateway.validation.JsonRules.invalidType;
import static dev.genaiplatform.gateway.validation.JsonRules.invalidValue;
import static dev.genaiplatform.gateway.validation.JsonRules.missing;
import static dev.genaiplatform.gateway.validation.JsonRules.optionalString;
import static dev.genaiplatform.gateway.validation.JsonRules.requireObject;
import static dev.genaiplatform.gateway.validation.JsonRules.requireOneOf;
import static dev.genaiplatform.gateway.validation.JsonRules.requireString;

/**
 * One entry of {@code messages}, in the shapes an OpenAI SDK sends in a tool-calling conversation:
 * <ul>
 * <li>system, developer, user: {@code content} is text that is not blank (a string, or an array of
 * {@code text} parts);
 * <li>assistant: {@code content} may be null or absent only when the message carries {@code tool_calls},
 * each {@code {"id", "type"?, "function": {"name", "arguments"}}} with string arguments (the JSON as the
 * model wrote it); {@code refusal} parts are allowed in its content;
 * <li>tool: a {@code tool_call_id} and the tool's result as {@code content}, which may be empty.
 * </ul>
 * Every message may carry a string {@code name}. Fields not named here pass through unchecked.
 */
final class ChatMessageValidator {

    static final List<String> ROLES = List.of("assistant", "developer", "system", "tool", "user");

    private ChatMessageValidator() {
    }

    static void validate(JsonNode message, String at) {
        requireObject(message, at);
        String role = requireOneOf(message, "role", at + ".role", ROLES);
        optionalString(message, "name", at + ".name");
        switch (role) {
            case "assistant" -> assistant(message, at);
            case "tool" -> tool(message, at);
            default -> content(message.get("content"), at + ".content", false, false);
        }
    }

    private static void assistant(JsonNode message, String at) {
        JsonNode toolCalls = message.get("tool_calls");
        boolean callsTools = false;
        if (!absent(toolCalls)) {
            toolCalls(toolCalls, at + ".tool_calls");
            callsTools = !toolCalls.isEmpty();
        }
        optionalString(message, "refusal", at + ".refusal");
        if (absent(message.get("content")) && callsTools) {
            return; // OpenAI's shape for a turn that only calls tools
        }
        // Next to tool calls the text may be empty: some SDKs send "" rather than null.
        content(message.get("content"), at + ".content", callsTools, true);
    }

    private static void tool(JsonNode message, String at) {
        if (requireString(message, "tool_call_id", at + ".tool_call_id").isBlank()) {
            throw invalidValue(at + ".tool_call_id", "must not be blank");
        }
        content(message.get("content"), at + ".content", true, false);
    }

    private static void toolCalls(JsonNode calls, String at) {
        if (!calls.isArray()) {
            throw invalidType(at, "an array of objects", calls);
        }
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            String callAt = at + "[" + i + "]";
            requireObject(call, callAt);
            requireString(call, "id", callAt + ".id");
            optionalString(call, "type", callAt + ".type");
            JsonNode function = call.get("function");
            if (absent(function)) {
                throw missing(callAt + ".function");
            }
            requireObject(function, callAt + ".function");
            requireString(function, "name", callAt + ".function.name");
            requireString(function, "arguments", callAt + ".function.arguments");
        }
    }

    /**
     * @param mayBeBlank whether empty text is acceptable (a tool's result, an assistant's text next to tool calls)
     * @param mayRefuse whether {@code refusal} parts are acceptable (assistant messages only)
     */
    private static void content(JsonNode content, String at, boolean mayBeBlank, boolean mayRefuse) {
        if (absent(content)) {
            throw missing(at);
        }
        if (content.isString()) {
            if (!mayBeBlank && content.stringValue().isBlank()) {
                throw invalidValue(at, "must not be blank");
            }
            return;
        }
        if (!content.isArray()) {
            throw invalidType(at, "a string or an array of text parts", content);
        }
        boolean anyText = false;
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String partAt = at + "[" + i + "]";
            requireObject(part, partAt);
            JsonNode type = part.get("type");
            String kind = type != null && type.isString() ? type.stringValue() : "";
            if (kind.equals("text")) {
                anyText |= !requireString(part, "text", partAt + ".text").isBlank();
            }
            else if (kind.equals("refusal") && mayRefuse) {
                anyText |= !requireString(part, "refusal", partAt + ".refusal").isBlank();
            }
            else {
                throw invalidValue(partAt + ".type", "only 'text' content parts are supported");
            }
        }
        if (!anyText && !mayBeBlank) {
            throw invalidValue(at, "must contain text that is not blank");
        }
    }
}
