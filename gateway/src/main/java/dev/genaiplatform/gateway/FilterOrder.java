package dev.genaiplatform.gateway;

/**
 * The order of the edge filters, in one place. Cheap checks run first so that a rejected request
 * costs as little as possible.
 *
 * <p>WebFilters run for every request, before routing: request id, canonical path, API key, rate limit.
 * Then Spring Cloud Gateway picks the route, and the route's own checks run as global filters, bound to
 * the route that was matched rather than to a second reading of the path: scope, body size, chat
 * validation, concurrent streams, token budget, and last the internal token that goes to the backend.
 */
public final class FilterOrder {

    /** Gives every request an id first, so that even a 404 or a 401 can be traced. */
    public static final int REQUEST_ID = -500;

    /** Right after the request id: the trace id goes on every answer, a 404 for a strange path included. */
    public static final int TRACE_ID = -490;

    /** Before anything that costs: a request beyond the instance's bound is shed with 503 at once. */
    public static final int ADMISSION = -480;

    public static final int CANONICAL_PATH = -450;

    public static final int AUTHENTICATION = -400;

    public static final int RATE_LIMIT = -300;

    /** Global (route) filters, after routing. */
    public static final int ROUTE_SCOPE = -400;

    public static final int SIZE_LIMIT = -300;

    public static final int CHAT_VALIDATION = -200;

    public static final int CONCURRENT_STREAMS = -150;

    /**
     * Before the budget: its decorator must sit inside the budget's, so that it sees the stream as whole events
     * (an error event never lands in the middle of a cut one).
     */
    public static final int STREAM_ENDING = -130;

    /** After the stream cap: a refused stream must not have reserved budget. */
    public static final int BUDGET = -120;

    public static final int INTERNAL_TOKEN = -100;

    private FilterOrder() {
    }
}
