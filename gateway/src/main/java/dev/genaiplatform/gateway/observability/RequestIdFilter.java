package dev.genaiplatform.gateway.observability;

import java.util.UUID;
import java.util.regex.Pattern;

import dev.genaiplatform.gateway.FilterOrder;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every request an {@value #HEADER}: the client's own if it sent a sane one, else a new UUID.
 * The id goes to the backend with the request ({@code InternalTokenFilter} sets it there, and in the token's
 * {@code rid}) and back to the client on the response (errors included), so a client can quote it and logs on
 * both sides can be joined.
 */
public final class RequestIdFilter implements WebFilter, Ordered {

    public static final String HEADER = "X-Request-Id";

    private static final String ATTRIBUTE = RequestIdFilter.class.getName();

    /** Client ids end up in logs and headers: keep them short and free of separators. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Override
    public int getOrder() {
        return FilterOrder.REQUEST_ID;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String sent = exchange.getRequest().getHeaders().getFirst(HEADER);
        String requestId = sent != null && ACCEPTED.matcher(sent).matches() ? sent : UUID.randomUUID().toString();
        // Set just before the response is committed: a backend echoing the header must not add a second one.
        exchange.getResponse().beforeCommit(() -> {
            exchange.getResponse().getHeaders().set(HEADER, requestId);
            return Mono.empty();
        });
        // Kept as an attribute: the internal-token filter puts it on the forwarded request in the one header
        // rewrite that request gets (every rewrite copies all the headers).
        exchange.getAttributes().put(ATTRIBUTE, requestId);
        return chain.filter(exchange);
    }

    /** This request's id (the client's if sane, else generated); null only before this filter ran. */
    public static String requestId(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }
}
