package dev.genaiplatform.guardrails.policy;

/** What a policy does with something a detector found. */
public enum Action {
    /** Report it in the findings and the verdict event, change nothing. */
    REPORT,
    /** Replace the span with {@code <CATEGORY>}. */
    MASK,
    /** Remove the span (replace it with nothing). */
    REDACT,
    /** Replace the span with a stable pseudonym, {@code <CATEGORY_n>}, the same for the same value in one request. */
    PSEUDONYMISE,
    /**
     * Let it through unchanged, with a message the client shows the user (the reply's {@code reason}), e.g.
     * where to find help when someone writes about hurting themselves.
     */
    WARN,
    /** Refuse the whole request. */
    BLOCK
}
