package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.orchestrator.messaging.DependencyUnavailableException;
import dev.genaiplatform.orchestrator.prompt.PromptTooLongException;
import dev.genaiplatform.orchestrator.provider.ChatProviders.UnknownModelException;
import dev.genaiplatform.orchestrator.resilience.ModelCallFailedException;

import java.time.Duration;
import java.util.List;

/**
 * Why a chat request did not get an answer, and what the client is told: one {@link ProblemType} of the
 * platform's vocabulary (the gateway answers the same mistake with the same code), an optional parameter
 * name, and a {@code Retry-After} when waiting helps. {@link #from(Throwable)} sorts any failure of the flow.
 */
public class ChatCompletionException extends RuntimeException {

    private final ProblemType type;
    private final String param;
    private final Duration retryAfter;
    private String requestId;
    private List<PlatformMetadata.FindingTrace> findings;

    public ChatCompletionException(ProblemType type, String detail, String param, Duration retryAfter, Throwable cause) {
        super(detail, cause);
        this.type = type;
        this.param = param;
        this.retryAfter = retryAfter;
    }

    ChatCompletionException(ProblemType type, String detail, Throwable cause) {
        this(type, detail, null, null, cause);
    }

    public ProblemType type() {
        return this.type;
    }

    public String param() {
        return this.param;
    }

    /** Seconds to wait before retrying, or {@code null} when waiting does not help. */
    public Duration retryAfter() {
        return this.retryAfter;
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
        return this.type == ProblemType.INPUT_BLOCKED ? Outcome.REFUSED_BY_GUARDRAILS : Outcome.FAILED;
    }

    static ChatCompletionException invalidValue(String param, String detail) {
        return new ChatCompletionException(ProblemType.INVALID_VALUE, detail, param, null, null);
    }

    static ChatCompletionException missing(String param) {
        return new ChatCompletionException(ProblemType.MISSING_REQUIRED_PARAMETER,
                "Missing required parameter: '" + param + "'.", param, null, null);
    }

    static ChatCompletionException inputBlocked(String reason) {
        return inputBlocked(reason, List.of());
    }

    /** A 400 {@code input_blocked} whose problem body names what guardrails found ({@code findings}, no text). */
    static ChatCompletionException inputBlocked(String reason, List<PlatformMetadata.FindingTrace> findings) {
        ChatCompletionException blocked = new ChatCompletionException(ProblemType.INPUT_BLOCKED,
                reason != null ? reason : "The input was blocked by the platform's guardrails.", null);
        blocked.findings = List.copyOf(findings);
        return blocked;
    }

    /** What guardrails found, for an {@code input_blocked} problem; null for other problems. */
    List<PlatformMetadata.FindingTrace> findings() {
        return this.findings;
    }

    /**
     * A model outside the token's list: the same answer the gateway gives for a model outside the key's list
     * (404 {@code model_not_found}, as OpenAI answers), so a client cannot tell which service noticed, nor learn
     * whether a model it may not use exists.
     */
    static ChatCompletionException modelNotAllowed(String model) {
        return new ChatCompletionException(ProblemType.MODEL_NOT_FOUND,
                "The model '" + model + "' does not exist or you do not have access to it.", "model", null, null);
    }

    /** Sorts a failure into a problem; anything unforeseen is a 500 without details. */
    static ChatCompletionException from(Throwable failure) {
        Throwable cause = failure;
        while (cause != null) {
            switch (cause) {
                case ChatCompletionException known -> {
                    return known;
                }
                case ModelCallFailedException model -> {
                    return new ChatCompletionException(model.type(), model.getMessage(), model.param(),
                            model.retryAfter(), model);
                }
                case DependencyUnavailableException dependency -> {
                    return new ChatCompletionException(ProblemType.DEPENDENCY_UNAVAILABLE,
                            "The " + dependency.dependency() + " service did not answer in time. Retry shortly.",
                            null, null, cause);
                }
                case UnknownModelException unknown -> {
                    return new ChatCompletionException(ProblemType.MODEL_NOT_FOUND, unknown.getMessage(), "model",
                            null, cause);
                }
                case PromptTooLongException tooLong -> {
                    return new ChatCompletionException(ProblemType.PROMPT_TOO_LONG, tooLong.getMessage(), "messages",
                            null, cause);
                }
                default -> cause = cause.getCause();
            }
        }
        return new ChatCompletionException(ProblemType.INTERNAL_ERROR, "The request failed unexpectedly.", failure);
    }
}
