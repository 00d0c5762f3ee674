package dev.genaiplatform.simulator.chat;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A request the simulator refuses, with the status, message, type, param and code OpenAI's API uses for
 * the same mistake, so clients and SDKs react to it exactly as they would in production.
 */
final class OpenAiError extends RuntimeException {

    static final String INVALID_REQUEST = "invalid_request_error";

    private final HttpStatus status;
    private final String type;
    private final String param;
    private final String code;
    private final String model;

    private OpenAiError(HttpStatus status, String message, String type, String param, String code, String model) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.model = model;
    }

    private static OpenAiError invalid(String message, String param, String code) {
        return new OpenAiError(HttpStatus.BAD_REQUEST, message, INVALID_REQUEST, param, code, null);
    }

    static OpenAiError invalidJson() {
        return invalid("We could not parse the JSON body of your request. The API expects a JSON object.",
                null, null);
    }

    static OpenAiError notAnObject() {
        return invalid("The request body must be a JSON object.", null, null);
    }

    static OpenAiError missing(String param) {
        return invalid("Missing required parameter: '" + param + "'.", param, "missing_required_parameter");
    }

    static OpenAiError invalidType(String param, String expected, JsonNode actual) {
        return invalid("Invalid type for '" + param + "': expected " + expected + ", but got " + describe(actual)
                + " instead.", param, "invalid_type");
    }

    static OpenAiError emptyArray(String param) {
        return invalid("Invalid '" + param + "': empty array. Expected an array with minimum length 1, but got an "
                + "empty array instead.", param, "empty_array");
    }

    static OpenAiError invalidValue(String param, String value, List<String> supported) {
        String choices = supported.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", "));
        return invalid("Invalid value: '" + value + "'. Supported values are: " + choices + ".", param, "invalid_value");
    }

    static OpenAiError belowMinimum(String param, long minimum, String actual) {
        return invalid("Invalid '" + param + "': integer below minimum value. Expected a value >= " + minimum
                + ", but got " + actual + " instead.", param, "integer_below_min_value");
    }

    static OpenAiError aboveMaximum(String param, String kind, Number maximum, String actual) {
        return invalid("Invalid '" + param + "': " + kind + " above maximum value. Expected a value <= " + maximum
                + ", but got " + actual + " instead.", param, kind + "_above_max_value");
    }

    static OpenAiError belowMinimum(String param, String kind, Number minimum, String actual) {
        return invalid("Invalid '" + param + "': " + kind + " below minimum value. Expected a value >= " + minimum
                + ", but got " + actual + " instead.", param, kind + "_below_min_value");
    }

    static OpenAiError arrayTooLong(String param, int maximum, int actual) {
        return invalid("Invalid '" + param + "': array too long. Expected an array with maximum length " + maximum
                + ", but got an array with length " + actual + " instead.", param, "array_above_max_length");
    }

    /** A request OpenAI would accept in shape but that breaks one of its rules; the message says which. */
    static OpenAiError invalidParameter(String param, String message) {
        return invalid(message, param, null);
    }

    static OpenAiError invalidFunctionParameters(String param, String message) {
        return invalid(message, param, "invalid_function_parameters");
    }

    static OpenAiError contextLengthExceeded(String model, int contextWindow, int promptTokens, Integer maxTokens) {
        String asked = maxTokens == null
                ? "your messages resulted in " + promptTokens + " tokens. Please reduce the length of the messages."
                : "you requested " + (promptTokens + maxTokens) + " tokens (" + promptTokens + " in the messages, "
                  + maxTokens + " in the completion). Please reduce the length of the messages or completion.";
        return new OpenAiError(HttpStatus.BAD_REQUEST, "This model's maximum context length is " + contextWindow
                + " tokens. However, " + asked, INVALID_REQUEST, "messages", "context_length_exceeded", model);
    }

    static OpenAiError modelNotFound(String model) {
        return new OpenAiError(HttpStatus.NOT_FOUND, "The model `" + model + "` does not exist or you do not have "
                + "access to it.", INVALID_REQUEST, "model", "model_not_found", null);
    }

    static OpenAiError tooLarge() {
        return new OpenAiError(HttpStatus.CONTENT_TOO_LARGE, "The request body is larger than this server accepts.",
                INVALID_REQUEST, null, "request_too_large", null);
    }

    static OpenAiError invalidUrl(String method, String path) {
        return new OpenAiError(HttpStatus.NOT_FOUND, "Invalid URL (" + method + " " + path + ")", INVALID_REQUEST,
                null, null, null);
    }

    static OpenAiError serverError() {
        return new OpenAiError(HttpStatus.INTERNAL_SERVER_ERROR, "The server had an error while processing your "
                + "request.", "server_error", null, null, null);
    }

    /** How OpenAI names a JSON value's type in its messages. */
    static String describe(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isIntegralNumber()) {
            return "an integer";
        }
        if (node.isNumber()) {
            return "a decimal";
        }
        if (node.isString()) {
            return "a string";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        return node.isArray() ? "an array" : "an object";
    }

    HttpStatus status() {
        return status;
    }

    /** The configured model the request named, when the error came after the model was known; else null. */
    String model() {
        return model;
    }

    OpenAiWire.ErrorBody body() {
        return new OpenAiWire.ErrorBody(new OpenAiWire.ErrorDetail(getMessage(), type, param, code));
    }

    Mono<ServerResponse> toResponse() {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).bodyValue(body());
    }
}
