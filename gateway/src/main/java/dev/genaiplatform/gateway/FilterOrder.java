package dev.genaiplatform.gateway;

/**
 * The order of the edge filters, in one place. Cheap checks run first so that a rejected request
 * costs as little as possible: nothing reads the body before the caller is known and within its
 * rate limit, and only the chat validation parses it. Routing (Spring Cloud Gateway's handler)
 * comes after all of them.
 */
public final class FilterOrder {

    /** Gives every request an id first, so that even a 401 can be traced. */
    public static final int REQUEST_ID = -500;

    public static final int AUTHENTICATION = -400;

    public static final int RATE_LIMIT = -300;

    public static final int SIZE_LIMIT = -200;

    public static final int CHAT_VALIDATION = -100;

    private FilterOrder() {
    }
}
