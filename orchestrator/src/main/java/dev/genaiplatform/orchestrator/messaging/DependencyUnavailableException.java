package dev.genaiplatform.orchestrator.messaging;

/**
 * A service the chat flow depends on did not answer in time, or answered with something unreadable.
 * The client gets a 503 and may retry; the request is recorded as failed.
 */
public class DependencyUnavailableException extends RuntimeException {

    private final String dependency;

    public DependencyUnavailableException(String dependency, String message, Throwable cause) {
        super(message, cause);
        this.dependency = dependency;
    }

    /** The service that failed, e.g. {@code guardrails}; safe to show to a client. */
    public String dependency() {
        return this.dependency;
    }
}
