package dev.genaiplatform.evaluation.messaging;

/**
 * A record (a completion or a guardrail verdict) that must never be acted on: no valid internal token, a tenant that contradicts it, or an event that
 * lacks what an aggregate needs. Not retryable: the error handler sends it straight to the dead-letter topic,
 * with this message as the reason ({@code kafka_dlt-exception-message}).
 */
public class InvalidCompletionEventException extends RuntimeException {

    public InvalidCompletionEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
