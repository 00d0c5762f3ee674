package dev.genaiplatform.orchestrator.resilience;

/**
 * The request's own deadline (the gateway's {@code deadline} claim, or {@code total-timeout}) came before the model
 * answered. Not the provider's fault: it never counts against the provider's circuit, and nothing is tried after it.
 */
public class DeadlineReachedException extends RuntimeException {

    public DeadlineReachedException() {
        super("the request's deadline passed before the model answered", null, false, false);
    }
}
