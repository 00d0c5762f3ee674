package dev.genaiplatform.gateway.validation;

import java.util.Optional;

import org.springframework.web.server.ServerWebExchange;

/**
 * What the chat validation learned about a request that later route checks need, kept on the exchange so
 * that nothing parses the body twice.
 *
 * @param model the requested model (one the key may use)
 * @param stream whether the client asked for server-sent events
 */
public record ValidatedChatRequest(String model, boolean stream) {

    private static final String ATTRIBUTE = ValidatedChatRequest.class.getName();

    public static Optional<ValidatedChatRequest> find(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }

    void attachTo(ServerWebExchange exchange) {
        exchange.getAttributes().put(ATTRIBUTE, this);
    }
}
