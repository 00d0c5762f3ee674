package dev.genaiplatform.simulator.serving;

/** Why a completion ended, as OpenAI's {@code finish_reason} names it. */
public enum FinishReason {
    /** The answer is complete. */
    STOP("stop"),
    /** Cut at {@code max_tokens} or at the end of the context window. */
    LENGTH("length"),
    /** Stopped by the provider's content filter (only when the {@code content-filter} fault is injected). */
    CONTENT_FILTER("content_filter");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
