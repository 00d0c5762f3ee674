package dev.genaiplatform.gateway.tenant;

import org.springframework.web.server.ServerWebExchange;

/** Lets tests in other packages start from an already authenticated exchange. */
public final class AuthenticatedTenants {

    private AuthenticatedTenants() {
    }

    public static void authenticate(ServerWebExchange exchange, ApiKey key) {
        key.attachTo(exchange);
    }
}
