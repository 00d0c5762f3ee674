package dev.genaiplatform.orchestrator.chat;

import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicServiceException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.orchestrator.messaging.DependencyUnavailableException;
import dev.genaiplatform.orchestrator.prompt.PromptTooLongException;
import dev.genaiplatform.orchestrator.provider.ChatProviders.UnknownModelException;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Why a chat request did not get an answer, and what the client is told: each {@link Problem} is one
 * problem+json slug with its status. {@link #from(Throwable)} sorts any failure of the flow into one of them.
 */
public class ChatCompletionException extends RuntimeException {

    /** The failures a client can see. Slugs are stable: clients and dashboards may match on them. */
    enum Problem {
        MISSING_TENANT(HttpStatus.UNAUTHORIZED, "missing-tenant", "Missing tenant", "authentication_error"),
        INVALID_REQUEST(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", "invalid_request_error"),
        INPUT_BLOCKED(HttpStatus.BAD_REQUEST, "input-blocked", "Input blocked", "invalid_request_error"),
        PROMPT_TOO_LONG(HttpStatus.BAD_REQUEST, "prompt-too-long", "Prompt too long", "invalid_request_error"),
        MODEL_NOT_FOUND(HttpStatus.NOT_FOUND, "model-not-found", "Model not found", "invalid_request_error",
                "model_not_found"),
        MODEL_REJECTED_REQUEST(HttpStatus.BAD_REQUEST, "model-rejected-request", "Model rejected the request",
                "invalid_request_error"),
        DEPENDENCY_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "dependency-unavailable", "Dependency unavailable",
                "api_error"),
        MODEL_UNAVAILABLE(HttpStatus.BAD_GATEWAY, "model-unavailable", "Model unavailable", "api_error"),
        INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error", "api_error");

        final HttpStatus status;
        final String slug;
        final String title;
        final String openAiType;
        /** {@code error.code}: the slug, unless OpenAI has its own code for the case. */
        final String code;

        Problem(HttpStatus status, String slug, String title, String openAiType) {
            this(status, slug, title, openAiType, slug);
        }

        Problem(HttpStatus status, String slug, String title, String openAiType, String code) {
            this.status = status;
            this.slug = slug;
            this.title = title;
            this.openAiType = openAiType;
            this.code = code;
        }
    }

    private final Problem problem;
    private String requestId;

    ChatCompletionException(Problem problem, String detail, Throwable cause) {
        super(detail, cause);
        this.problem = problem;
    }

    Problem problem() {
        return this.problem;
    }

    /** The chat completion id of the failed request, when it got that far; clients can quote it. */
    String requestId() {
        return this.requestId;
    }

    ChatCompletionException forRequest(String requestId) {
        this.requestId = requestId;
        return this;
    }

    /** How the completion event records this failure. */
    Outcome outcome() {
        return this.problem == Problem.INPUT_BLOCKED ? Outcome.REFUSED_BY_GUARDRAILS : Outcome.FAILED;
    }

    static ChatCompletionException missingTenant() {
        return new ChatCompletionException(Problem.MISSING_TENANT,
                "The X-Tenant-Id header is missing; requests must come through the gateway.", null);
    }

    static ChatCompletionException invalidRequest(String detail) {
        return new ChatCompletionException(Problem.INVALID_REQUEST, detail, null);
    }

    static ChatCompletionException inputBlocked(String reason) {
        return new ChatCompletionException(Problem.INPUT_BLOCKED,
                reason != null ? reason : "The input was blocked by the platform's guardrails.", null);
    }

    /**
     * Sorts a failure into a problem. Model-server errors are split by who can fix them: a request the
     * model rejects (too long, unknown model) is the client's to fix, so 400; anything else on the model
     * side (down, overloaded, our credentials wrong) is a 502.
     */
    static ChatCompletionException from(Throwable failure) {
        Throwable cause = failure;
        while (cause != null) {
            switch (cause) {
                case ChatCompletionException known -> {
                    return known;
                }
                case DependencyUnavailableException dependency -> {
                    return new ChatCompletionException(Problem.DEPENDENCY_UNAVAILABLE,
                            "The " + dependency.dependency() + " service did not answer in time. Retry shortly.", cause);
                }
                case UnknownModelException unknown -> {
                    return new ChatCompletionException(Problem.MODEL_NOT_FOUND, unknown.getMessage(), cause);
                }
                case PromptTooLongException tooLong -> {
                    return new ChatCompletionException(Problem.PROMPT_TOO_LONG, tooLong.getMessage(), cause);
                }
                case OpenAIServiceException model -> {
                    return fromModelStatus(model);
                }
                case OpenAIIoException io -> {
                    return modelUnavailable(io);
                }
                case AnthropicServiceException model -> {
                    return fromModelStatus(model.statusCode(), null, model);
                }
                case AnthropicIoException io -> {
                    return modelUnavailable(io);
                }
                case NonTransientAiException rejected -> {
                    // Spring AI's verdict on a 4xx from a RestClient-based provider (Ollama)
                    return new ChatCompletionException(Problem.MODEL_REJECTED_REQUEST,
                            "The model server rejected the request.", rejected);
                }
                case TransientAiException unavailable -> {
                    return modelUnavailable(unavailable);
                }
                case WebClientResponseException response -> {
                    return fromModelStatus(response.getStatusCode().value(), null, response);
                }
                case ResourceAccessException io -> {
                    return modelUnavailable(io);
                }
                case WebClientRequestException io -> {
                    return modelUnavailable(io);
                }
                default -> cause = cause.getCause();
            }
        }
        return new ChatCompletionException(Problem.INTERNAL, "The request failed unexpectedly.", failure);
    }

    private static ChatCompletionException fromModelStatus(OpenAIServiceException model) {
        return fromModelStatus(model.statusCode(), model.code().orElse(null), model);
    }

    private static ChatCompletionException fromModelStatus(int status, String errorCode, Throwable model) {
        if ("context_length_exceeded".equals(errorCode)) {
            return new ChatCompletionException(Problem.PROMPT_TOO_LONG,
                    "The prompt does not fit the model's context window. Shorten the conversation.", model);
        }
        if (status == 400 || status == 404 || status == 413 || status == 422) {
            String code = errorCode != null ? errorCode : status == 404 ? "model_not_found" : "invalid_request";
            return new ChatCompletionException(Problem.MODEL_REJECTED_REQUEST,
                    "The model server rejected the request (" + code + ").", model);
        }
        return modelUnavailable(model);
    }

    private static ChatCompletionException modelUnavailable(Throwable cause) {
        return new ChatCompletionException(Problem.MODEL_UNAVAILABLE,
                "The model server failed to answer. Retry shortly.", cause);
    }
}
