package dev.genaiplatform.gateway.validation;

import java.util.Set;

import dev.genaiplatform.gateway.problem.GatewayProblem;
import dev.genaiplatform.gateway.tenant.Tenant;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks an OpenAI chat-completions request before it costs a backend anything. Only the fields the
 * platform depends on are checked ({@code model}, {@code messages}, {@code stream}); the rest is the
 * orchestrator's business. Each failure is a 400 naming the parameter at fault, as OpenAI does, except
 * a model the tenant may not use: 404 {@code model_not_found}, the same answer as for a model that
 * does not exist, so a tenant cannot probe which models others have.
 *
 * <p>Parsing is strict: trailing content and duplicate keys are rejected, because a gateway and a
 * backend that read an ambiguous body differently (first {@code model} versus last) would let a
 * request past the check that the backend then treats as something else.
 */
public final class ChatRequestValidator {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    private final JsonMapper json = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    /** @throws org.springframework.web.ErrorResponseException describing the first problem found */
    public void validate(byte[] body, Tenant tenant) {
        JsonNode request = parse(body);
        String model = requireModel(request);
        requireMessages(request.get("messages"));
        JsonNode stream = request.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw invalidType("stream", "a boolean", stream);
        }
        if (!tenant.mayUse(model)) {
            throw GatewayProblem.MODEL_NOT_FOUND.exception(
                    "The model '" + model + "' does not exist or you do not have access to it.", "model");
        }
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw GatewayProblem.INVALID_JSON.exception("The request body is empty; expected a JSON object.");
        }
        JsonNode request;
        try {
            request = json.readTree(body);
        }
        catch (JacksonException e) {
            // The parser's message quotes the body; only its location is safe and useful.
            throw GatewayProblem.INVALID_JSON.exception("The request body is not valid JSON"
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")." : "."));
        }
        if (request == null || !request.isObject()) {
            throw GatewayProblem.INVALID_JSON.exception("The request body must be a JSON object.");
        }
        return request;
    }

    private static String requireModel(JsonNode request) {
        JsonNode model = request.get("model");
        if (model == null || model.isNull()) {
            throw missing("model");
        }
        if (!model.isString()) {
            throw invalidType("model", "a string", model);
        }
        if (model.stringValue().isBlank()) {
            throw invalidValue("model", "must not be empty");
        }
        return model.stringValue();
    }

    private static void requireMessages(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            throw missing("messages");
        }
        if (!messages.isArray()) {
            throw invalidType("messages", "an array of objects", messages);
        }
        if (messages.isEmpty()) {
            throw GatewayProblem.EMPTY_ARRAY.exception(
                    "Invalid 'messages': empty array. Expected at least one message.", "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            requireMessage(messages.get(i), "messages[" + i + "]");
        }
    }

    private static void requireMessage(JsonNode message, String at) {
        if (!message.isObject()) {
            throw invalidType(at, "an object", message);
        }
        JsonNode role = message.get("role");
        if (role == null || role.isNull()) {
            throw missing(at + ".role");
        }
        if (!role.isString()) {
            throw invalidType(at + ".role", "a string", role);
        }
        if (!ROLES.contains(role.stringValue())) {
            throw invalidValue(at + ".role", "must be one of " + String.join(", ", ROLES.stream().sorted().toList()));
        }
        JsonNode content = message.get("content");
        if (content == null || content.isNull()) {
            if (isAssistantToolCall(role, message)) {
                return; // OpenAI allows an assistant turn that only calls tools
            }
            throw missing(at + ".content");
        }
        if (content.isString()) {
            if (content.stringValue().isBlank()) {
                throw invalidValue(at + ".content", "must not be blank");
            }
            return;
        }
        if (!content.isArray()) {
            throw invalidType(at + ".content", "a string or an array of text parts", content);
        }
        requireTextParts(content, at + ".content");
    }

    private static boolean isAssistantToolCall(JsonNode role, JsonNode message) {
        JsonNode toolCalls = message.get("tool_calls");
        return "assistant".equals(role.stringValue()) && toolCalls != null && toolCalls.isArray() && !toolCalls.isEmpty();
    }

    /** Accepts OpenAI's content parts when all are text and at least one is not blank. */
    private static void requireTextParts(JsonNode parts, String at) {
        boolean anyText = false;
        for (int i = 0; i < parts.size(); i++) {
            JsonNode part = parts.get(i);
            String partAt = at + "[" + i + "]";
            if (!part.isObject()) {
                throw invalidType(partAt, "an object", part);
            }
            JsonNode type = part.get("type");
            if (type == null || !type.isString() || !"text".equals(type.stringValue())) {
                throw invalidValue(partAt + ".type", "only 'text' content parts are supported");
            }
            JsonNode text = part.get("text");
            if (text == null || text.isNull()) {
                throw missing(partAt + ".text");
            }
            if (!text.isString()) {
                throw invalidType(partAt + ".text", "a string", text);
            }
            anyText |= !text.stringValue().isBlank();
        }
        if (!anyText) {
            throw invalidValue(at, "must contain text that is not blank");
        }
    }

    private static RuntimeException missing(String param) {
        return GatewayProblem.MISSING_REQUIRED_PARAMETER.exception("Missing required parameter: '" + param + "'.", param);
    }

    private static RuntimeException invalidType(String param, String expected, JsonNode actual) {
        return GatewayProblem.INVALID_TYPE.exception("Invalid type for '" + param + "': expected " + expected
                + ", but got " + describe(actual) + " instead.", param);
    }

    private static RuntimeException invalidValue(String param, String rule) {
        return GatewayProblem.INVALID_VALUE.exception("Invalid '" + param + "': " + rule + ".", param);
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase();
        };
    }
}
