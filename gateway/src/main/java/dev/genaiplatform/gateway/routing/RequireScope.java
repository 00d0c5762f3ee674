package dev.genaiplatform.gateway.routing;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.gateway.problem.Problems;
import dev.genaiplatform.gateway.tenant.ApiKey;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The scope check for what the gateway answers itself (router functions), the twin of {@link RouteScopeFilter}
 * for proxied routes: attached to the router function, so it guards exactly the handlers it wraps.
 */
public final class RequireScope {

    private RequireScope() {
    }

    public static HandlerFilterFunction<ServerResponse, ServerResponse> scope(String scope) {
        return (request, next) -> {
            boolean allowed = ApiKey.find(request.exchange()).map(key -> key.hasScope(scope)).orElse(false);
            return allowed ? next.handle(request) : Mono.error(Problems.exception(ProblemType.INSUFFICIENT_SCOPE,
                    "This API needs an API key with scope '" + scope + "'."));
        };
    }
}
