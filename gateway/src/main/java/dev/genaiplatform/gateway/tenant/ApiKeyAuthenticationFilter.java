package dev.genaiplatform.gateway.tenant;

import java.util.Optional;

import dev.genaiplatform.gateway.FilterOrder;
import dev.genaiplatform.gateway.observability.RequestIdFilter;
import dev.genaiplatform.gateway.problem.GatewayProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Maps {@code Authorization: Bearer <key>} to an {@link ApiKey} and its {@link Tenant}. Everything but actuator needs a key.
 * On success the forwarded request carries the gateway's {@value Tenant#HEADER} and nothing the client
 * claimed: a client-sent {@value Tenant#HEADER} is removed (backends trust that header, so spoofing it
 * would let one tenant act as another), and so is the API key itself, which backends have no use for.
 */
public final class ApiKeyAuthenticationFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticationFilter.class);

    private static final String BEARER = "Bearer ";

    private static final String REALM = "Bearer realm=\"genai-platform\"";

    private final TenantDirectory tenants;

    public ApiKeyAuthenticationFilter(TenantDirectory tenants) {
        this.tenants = tenants;
    }

    @Override
    public int getOrder() {
        return FilterOrder.AUTHENTICATION;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (isActuator(exchange.getRequest().getPath().pathWithinApplication().value())) {
            return chain.filter(exchange);
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        String requestId = exchange.getRequest().getHeaders().getFirst(RequestIdFilter.HEADER);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.substring(BEARER.length()).isBlank()) {
            log.debug("Request {} without API key", requestId);
            return Mono.error(unauthorized(REALM, "Missing API key. Send it as 'Authorization: Bearer <key>'."));
        }
        Optional<ApiKey> key = tenants.findByApiKey(authorization.substring(BEARER.length()).trim());
        if (key.isEmpty()) {
            log.info("Request {} with an unknown API key", requestId);
            return Mono.error(unauthorized(REALM + ", error=\"invalid_token\"", "Incorrect API key provided."));
        }
        key.get().attachTo(exchange);
        String tenantId = key.get().tenant().id();
        ServerWebExchange forwarded = exchange.mutate().request(r -> r.headers(h -> {
            h.remove(HttpHeaders.AUTHORIZATION);
            h.remove(Tenant.HEADER);
            h.set(Tenant.HEADER, tenantId);
        })).build();
        return chain.filter(forwarded);
    }

    private static boolean isActuator(String path) {
        return path.equals("/actuator") || path.startsWith("/actuator/");
    }

    private static ErrorResponseException unauthorized(String challenge, String detail) {
        ErrorResponseException problem = GatewayProblem.INVALID_API_KEY.exception(detail);
        problem.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return problem;
    }
}
