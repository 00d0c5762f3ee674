package dev.genaiplatform.contracts.guardrails;

/** What guardrails decided about an input. */
public enum Verdict {
    /** Nothing found: forward the messages unchanged. */
    ALLOWED,
    /** Sensitive spans were masked: forward the redacted messages instead of the originals. */
    REDACTED,
    /** Must not reach a model at all; the reply says why. */
    BLOCKED
}
