package dev.genaiplatform.gateway.validation;

import java.util.Optional;

import tools.jackson.databind.JsonNode;

import org.springframework.web.server.ServerWebExchange;

/**
 * What the chat validation learned about a request that later route checks need, kept on the exchange so
 * that nothing parses the body twice.
 *
 * @param model the requested model (one the key may use)
 * @param stream whether the client asked for server-sent events
 * @param usageInjected whether the gateway added {@code stream_options.include_usage} to a stream the client did
 *     not ask usage for: the budget then reads the usage chunk and keeps it from the client
 * @param request the parsed body, for the token estimate
 */
public record ValidatedChatRequest(String model, boolean stream, boolean usageInjected, JsonNode request) {

    private static final String ATTRIBUTE = ValidatedChatRequest.class.getName();

    public static Optional<ValidatedChatRequest> find(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }

    void attachTo(ServerWebExchange exchange) {
        exchange.getAttributes().put(ATTRIBUTE, this);
    }
}
