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
 * The id goes to the backend with the request and back to the client on the response (errors
 * included), so a client can quote it and logs on both sides can be joined.
 */
public final class RequestIdFilter implements WebFilter, Ordered {

    public static final String HEADER = "X-Request-Id";

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
        ServerWebExchange withId = exchange.mutate().request(r -> r.headers(h -> h.set(HEADER, requestId))).build();
        return chain.filter(withId);
    }
}
