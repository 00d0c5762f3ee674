package dev.genaiplatform.gateway.routing;

import java.util.Optional;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * What a route in application.yml says about itself ({@code metadata:}), read from the route Spring Cloud
 * Gateway actually matched. Checks bound to these keys run on exactly the route the request goes to, never on
 * a second reading of the path.
 */
public final class RouteMetadata {

    /** The scope a key needs for the route: one of the key scopes, or {@value #ANY_SCOPE}. Required. */
    public static final String SCOPE = "scope";

    public static final String ANY_SCOPE = "any";

    /** Optional: a body limit above the default, e.g. {@code 32MB} for uploads. */
    public static final String MAX_REQUEST_BYTES = "max-request-bytes";

    /** Optional: {@value #CHAT_COMPLETION} to validate the body as an OpenAI chat completion request. */
    public static final String VALIDATE = "validate";

    public static final String CHAT_COMPLETION = "chat-completion";

    private RouteMetadata() {
    }

    public static Optional<Route> route(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR));
    }

    public static Optional<String> get(ServerWebExchange exchange, String key) {
        return route(exchange).map(route -> route.getMetadata().get(key)).map(String::valueOf);
    }
}
