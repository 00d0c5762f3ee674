package dev.genaiplatform.orchestrator.resilience;

import dev.genaiplatform.contracts.problem.ProblemType;

import java.time.Duration;
import java.util.List;

/**
 * Every option of the fallback chain was tried (or the model rejected the request) and no answer came:
 * what the client is told, and the attempts that led there.
 */
public class ModelCallFailedException extends RuntimeException {

    private final ProblemType type;
    private final String param;
    private final Duration retryAfter;
    private final List<String> attempts;

    public ModelCallFailedException(ProblemType type, String detail, String param, Duration retryAfter,
                                    List<String> attempts, Throwable cause) {
        super(detail, cause);
        this.type = type;
        this.param = param;
        this.retryAfter = retryAfter;
        this.attempts = List.copyOf(attempts);
    }

    public ProblemType type() {
        return this.type;
    }

    public String param() {
        return this.param;
    }

    public Duration retryAfter() {
        return this.retryAfter;
    }

    /** {@code model:outcome} per attempt, in order, e.g. {@code sim-large:server_error}. */
    public List<String> attempts() {
        return this.attempts;
    }
}
