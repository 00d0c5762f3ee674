package dev.genaiplatform.contracts.http;

/**
 * HTTP headers the platform defines or relies on, in one place. Standard ones are listed where the platform
 * gives them a specific meaning.
 */
public final class PlatformHttpHeaders {

    /** Response: the request id (also the chat completion id), for support and log joins. */
    public static final String REQUEST_ID = "X-Request-Id";
    /** Response: the W3C trace id of the request, to open its trace. */
    public static final String TRACE_ID = "X-Trace-Id";
    /** Response: the model the router chose and the rule that chose it, e.g. {@code sim-small; rule=short-simple}. */
    public static final String ROUTE = "X-Platform-Route";
    /** Response: {@code hit | semantic-hit | miss | bypass}. */
    public static final String CACHE = "X-Platform-Cache";
    /** Response: set when a soft budget limit is passed, says which. */
    public static final String BUDGET_WARNING = "X-Platform-Budget-Warning";
    /** Request: ties a request to a conversation whose history the platform keeps. */
    public static final String CONVERSATION_ID = "X-Conversation-Id";
    /** Request: the end user, for memory, permissions and feedback; the gateway puts it in the internal token. */
    public static final String USER_ID = "X-User-Id";
    /** Request: a repeated request with the same key returns the first result. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Request: the experiment arm override for evaluation runs (only honoured with scope evaluation). */
    public static final String EXPERIMENT_ARM = "X-Platform-Experiment-Arm";
    /**
     * Internal request header, gateway to orchestrator, on {@code POST /v1/batches} only: a batch grant (see
     * {@code InternalToken.CLAIM_GRANT}) the orchestrator keeps with the batch so its lines run while nobody is
     * calling. The gateway removes any client-sent value before adding its own.
     */
    public static final String BATCH_GRANT = "X-Platform-Batch-Grant";
    /** Response: the per-stage timings, standard {@code Server-Timing}. */
    public static final String SERVER_TIMING = "Server-Timing";
    /** Response on 429/503: seconds to wait, standard {@code Retry-After}. */
    public static final String RETRY_AFTER = "Retry-After";

    /** Response: OpenAI's rate-limit headers, on every response the gateway admits. */
    public static final String RATELIMIT_LIMIT_REQUESTS = "x-ratelimit-limit-requests";
    public static final String RATELIMIT_REMAINING_REQUESTS = "x-ratelimit-remaining-requests";
    public static final String RATELIMIT_RESET_REQUESTS = "x-ratelimit-reset-requests";
    public static final String RATELIMIT_LIMIT_TOKENS = "x-ratelimit-limit-tokens";
    public static final String RATELIMIT_REMAINING_TOKENS = "x-ratelimit-remaining-tokens";
    public static final String RATELIMIT_RESET_TOKENS = "x-ratelimit-reset-tokens";

    private PlatformHttpHeaders() {
    }
}
