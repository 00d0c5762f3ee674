package dev.genaiplatform.gateway.routing;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.gateway.FilterOrder;
import dev.genaiplatform.gateway.problem.Problems;
import dev.genaiplatform.gateway.tenant.ApiKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * The key must hold the scope of the route it is routed on (route metadata {@code scope}). A route that
 * names no scope, or a request that somehow arrives without a key, is refused: the check fails closed.
 */
public final class RouteScopeFilter implements GlobalFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(RouteScopeFilter.class);

    @Override
    public int getOrder() {
        return FilterOrder.ROUTE_SCOPE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        String scope = RouteMetadata.get(exchange, RouteMetadata.SCOPE).orElse(null);
        ApiKey key = ApiKey.find(exchange).orElse(null);
        if (scope == null || key == null) {
            log.error("Route {} has no scope or request has no key; refused",
                    RouteMetadata.route(exchange).map(r -> r.getId()).orElse("-"));
            return Mono.error(Problems.exception(ProblemType.INSUFFICIENT_SCOPE, "This API is not available to your key."));
        }
        if (!scope.equals(RouteMetadata.ANY_SCOPE) && !key.hasScope(scope)) {
            return Mono.error(Problems.exception(ProblemType.INSUFFICIENT_SCOPE,
                    "This API needs an API key with scope '" + scope + "'."));
        }
        return chain.filter(exchange);
    }
}
