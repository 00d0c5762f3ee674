package dev.genaiplatform.gateway.validation;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.gateway.problem.Problems;
import dev.genaiplatform.gateway.tenant.ApiKey;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.genaiplatform.gateway.validation.JsonRules.invalidType;
import static dev.genaiplatform.gateway.validation.JsonRules.invalidValue;
import static dev.genaiplatform.gateway.validation.JsonRules.missing;

/**
 * Checks an OpenAI chat-completions request before it costs a backend anything, and accepts everything
 * an OpenAI SDK sends, tools and structured output included, so that a client can point its
 * {@code base_url} at the platform and change nothing else. {@code model}, {@code messages}
 * ({@link ChatMessageValidator}) and {@code stream} are checked fully; the optional parameters
 * ({@link ChatParametersValidator}) for type and range only; fields it does not know pass through. Each
 * failure is a 400 naming the parameter at fault, as OpenAI does, except a model the key may not use:
 * 404 {@code model_not_found}, the same answer as for a model that does not exist, so a key cannot
 * probe which models others have.
 *
 * <p>Parsing is strict: trailing content and duplicate keys are rejected, because a gateway and a
 * backend that read an ambiguous body differently (first {@code model} versus last) would let a
 * request past the check that the backend then treats as something else.
 */
public final class ChatRequestValidator {

    private final JsonMapper json = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    /**
     * @return what later checks (concurrent streams, budgets) need to know of the request
     * @throws org.springframework.web.ErrorResponseException describing the first problem found
     */
    public ValidatedChatRequest validate(byte[] body, ApiKey key) {
        JsonNode request = parse(body);
        String model = requireModel(request);
        requireMessages(request.get("messages"));
        JsonRules.optionalBoolean(request, "stream", "stream");
        ChatParametersValidator.validate(request);
        if (!key.mayUse(model)) {
            throw Problems.exception(ProblemType.MODEL_NOT_FOUND, 
                    "The model '" + model + "' does not exist or you do not have access to it.", "model");
        }
        JsonNode stream = request.get("stream");
        return new ValidatedChatRequest(model, stream != null && stream.asBoolean(false), false, request);
    }

    /**
     * The body to forward for a stream whose client did not ask for usage: the same request with
     * {@code stream_options.include_usage: true}, so the budget learns the real token counts (a stream's usage
     * comes only in that last chunk). The gateway keeps that chunk from the client, who did not ask for it.
     *
     * @return the rewritten body, or null if nothing needs changing
     */
    public byte[] withStreamUsage(ValidatedChatRequest validated) {
        JsonNode options = validated.request().get("stream_options");
        boolean asked = options != null && options.isObject() && options.path("include_usage").asBoolean(false);
        if (!validated.stream() || asked) {
            return null;
        }
        tools.jackson.databind.node.ObjectNode copy = ((tools.jackson.databind.node.ObjectNode) validated.request()).deepCopy();
        tools.jackson.databind.node.ObjectNode streamOptions = options != null && options.isObject()
                ? (tools.jackson.databind.node.ObjectNode) copy.get("stream_options") : copy.putObject("stream_options");
        streamOptions.put("include_usage", true);
        return json.writeValueAsBytes(copy);
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw Problems.exception(ProblemType.INVALID_JSON, "The request body is empty; expected a JSON object.");
        }
        JsonNode request;
        try {
            request = json.readTree(body);
        }
        catch (JacksonException e) {
            // The parser's message quotes the body; only its location is safe and useful.
            throw Problems.exception(ProblemType.INVALID_JSON, "The request body is not valid JSON"
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")." : "."));
        }
        if (request == null || !request.isObject()) {
            throw Problems.exception(ProblemType.INVALID_JSON, "The request body must be a JSON object.");
        }
        return request;
    }

    private static String requireModel(JsonNode request) {
        String model = JsonRules.requireString(request, "model", "model");
        if (model.isBlank()) {
            throw invalidValue("model", "must not be empty");
        }
        return model;
    }

    private static void requireMessages(JsonNode messages) {
        if (JsonRules.absent(messages)) {
            throw missing("messages");
        }
        if (!messages.isArray()) {
            throw invalidType("messages", "an array of objects", messages);
        }
        if (messages.isEmpty()) {
            throw Problems.exception(ProblemType.EMPTY_ARRAY, 
                    "Invalid 'messages': empty array. Expected at least one message.", "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            ChatMessageValidator.validate(messages.get(i), "messages[" + i + "]");
        }
    }
}
