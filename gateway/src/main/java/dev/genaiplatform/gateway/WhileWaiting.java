package dev.genaiplatform.gateway;

import org.springframework.web.server.ServerWebExchange;

/**
 * Work a later filter will need, offered by an earlier one, for the filter that waits on a round trip to do while
 * the answer is on its way: the thread that would sit idle during the wait does it instead, after the request for
 * the answer has left. One piece of work per request at most; it runs once, or never (a request refused before
 * the wait). Today the internal token's signature is offered ({@code TokenPrefetchFilter}) and the budget's
 * reservation in Redis is the wait ({@code TokenBudgetFilter}).
 */
public final class WhileWaiting {

    private static final String ATTRIBUTE = WhileWaiting.class.getName();

    private WhileWaiting() {
    }

    /** Offers {@code work} to the next filter that waits. */
    public static void offer(ServerWebExchange exchange, Runnable work) {
        exchange.getAttributes().put(ATTRIBUTE, work);
    }

    /** Runs the offered work, if any, on this thread; call it after the round trip's request has been sent. */
    public static void run(ServerWebExchange exchange) {
        Runnable work = (Runnable) exchange.getAttributes().remove(ATTRIBUTE);
        if (work != null) {
            work.run();
        }
    }
}
