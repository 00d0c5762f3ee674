package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.orchestrator.provider.ChatProviders;
import dev.genaiplatform.orchestrator.routing.ModelRouter;
import dev.genaiplatform.orchestrator.security.Caller;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.Optional;

/**
 * The chat flow for callers that are not an HTTP exchange: the batch lane runs each line of a batch through exactly
 * the pipeline an interactive request takes (routing, caches, guardrails, retrieval, prompt, resilient model call,
 * output checks, completion event), whole and never streamed, and gets the OpenAI body or the problem back as data.
 */
@Component
public class ChatPipeline {

    private final ChatCompletionService service;
    private final ChatProviders providers;
    private final ModelRouter router;
    private final JsonMapper json;

    ChatPipeline(ChatCompletionService service, ChatProviders providers, ModelRouter router, JsonMapper json) {
        this.service = service;
        this.providers = providers;
        this.router = router;
        this.json = json;
    }

    /** What became of one request. */
    public sealed interface Outcome permits Answered, Refused {
    }

    /** A {@code chat.completion} body, as the HTTP API would have answered it with status 200. */
    public record Answered(String requestId, JsonNode body) implements Outcome {
    }

    /**
     * The problem the HTTP API would have answered.
     *
     * @param retryAfter set when waiting helps (a dependency or provider was unavailable or limited)
     */
    public record Refused(ProblemType type, String message, String param, Duration retryAfter, String requestId)
            implements Outcome {

        public boolean retryable() {
            return this.retryAfter != null || this.type.status() >= 500;
        }
    }

    /**
     * Checks a request body without running it: well-formed chat request, not streamed, a model this caller may use.
     * Empty when the pipeline would accept it.
     */
    public Optional<Refused> check(JsonNode body, Caller caller) {
        try {
            ChatCompletionRequest request = parse(body);
            request.validate();
            if (request.streaming()) {
                throw ChatCompletionException.invalidValue("stream", "'stream' is not supported in a batch.");
            }
            String model = request.model();
            if (!this.router.isRouteName(model) && !this.providers.serves(model)) {
                throw new ChatCompletionException(ProblemType.MODEL_NOT_FOUND,
                        "The model '" + model + "' does not exist.", "model", null, null);
            }
            if (!caller.mayUse(model)) {
                throw ChatCompletionException.modelNotAllowed(model);
            }
            return Optional.empty();
        }
        catch (ChatCompletionException refused) {
            return Optional.of(refused(refused));
        }
    }

    /**
     * The provider a request's model runs on (its capacity is what batch work waits for); a routed name has no fixed
     * model, so it is counted against the provider of the router's small model.
     */
    public String providerOf(JsonNode body) {
        String model = body.path("model").asString("");
        String name = this.router.isRouteName(model) ? this.router.settings().smallModel() : model;
        return this.providers.serves(name) ? this.providers.resolve(name).provider().name() : "unknown";
    }

    /** Runs one request to the end, blocking; never streamed, never from or into a conversation. */
    public Outcome complete(JsonNode body, Caller caller) {
        try {
            ChatCompletionRequest request = parse(body);
            Answer answer = this.service.begin(request, caller,
                    new ChatCompletionService.Options(false, null, null));
            ChatCompletionResponse response = answer.body();
            return new Answered(response.id(), this.json.valueToTree(response));
        }
        catch (ChatCompletionException refused) {
            return refused(refused);
        }
        catch (RuntimeException failure) {
            return refused(ChatCompletionException.from(failure));
        }
    }

    private ChatCompletionRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ChatCompletionException(ProblemType.INVALID_TYPE, "'body' must be a JSON object.", "body", null,
                    null);
        }
        try {
            return this.json.treeToValue(body, ChatCompletionRequest.class);
        }
        catch (JacksonException malformed) {
            throw new ChatCompletionException(ProblemType.INVALID_TYPE,
                    "'body' is not a chat completion request: " + malformed.getOriginalMessage(), "body", null, null);
        }
    }

    private static Refused refused(ChatCompletionException refused) {
        return new Refused(refused.type(), refused.getMessage(), refused.param(), refused.retryAfter(),
                refused.requestId());
    }
}
