package dev.genaiplatform.gateway.token;

import java.util.List;

import dev.genaiplatform.contracts.http.PlatformHttpHeaders;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.gateway.FilterOrder;
import dev.genaiplatform.gateway.observability.ForwardedTraceContext;
import dev.genaiplatform.gateway.observability.RequestIdFilter;
import dev.genaiplatform.gateway.tenant.ApiKey;
import dev.genaiplatform.gateway.tenant.UserGroups;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;

/**
 * The last check before a request leaves for a backend: it gets the gateway's signed token as
 * {@code Authorization: Bearer <token>}, the only proof of the caller the backend accepts (ADR 0004), and
 * loses the headers a client could use to claim what only the token may say: {@code X-Tenant-Id}, and the
 * experiment-arm override unless the key holds scope {@code evaluation}.
 *
 * <p>A batch grant ({@link PlatformHttpHeaders#BATCH_GRANT}) is added on {@code POST /v1/batches} only, and a
 * client-sent one is removed on every route: only the gateway mints grants.
 *
 * <p>A request naming a user ({@code X-User-Id}) gets that user's access groups from the key's tenant's user
 * directory ({@link UserGroups}, looked up off the event loop) in the token's and the grant's {@code groups};
 * an unknown user gets none, so retrieval shows them only documents without access groups.
 */
public final class InternalTokenFilter implements GlobalFilter, Ordered {

    /** A header that used to carry the tenant; never forwarded, so no service can be fooled by it. */
    static final String TENANT_HEADER = "X-Tenant-Id";

    /** The one request that creates a batch, and so the one that gets a batch grant. */
    static final String BATCHES_PATH = "/v1/batches";

    private final InternalTokenIssuer issuer;

    private final UserGroups userGroups;

    private final ForwardedTraceContext traceContext;

    public InternalTokenFilter(InternalTokenIssuer issuer, UserGroups userGroups, ForwardedTraceContext traceContext) {
        this.issuer = issuer;
        this.userGroups = userGroups;
        this.traceContext = traceContext;
    }

    @Override
    public int getOrder() {
        return FilterOrder.INTERNAL_TOKEN;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ApiKey key = ApiKey.of(exchange);
        HttpHeaders sent = exchange.getRequest().getHeaders();
        String user = sent.getFirst(PlatformHttpHeaders.USER_ID);
        String requestId = RequestIdFilter.requestId(exchange);
        String saneUser = user != null && UserGroups.USER_ID.matcher(user).matches() ? user : null;
        // The user's groups in the key's tenant only: the same user id in another tenant is another user.
        Mono<List<String>> groups = saneUser == null ? Mono.just(List.of()) : userGroups.groups(key.tenant().id(), saneUser);
        return groups.flatMap(userGroupList -> forward(exchange, chain, key, requestId, saneUser, userGroupList));
    }

    private Mono<Void> forward(ServerWebExchange exchange, GatewayFilterChain chain, ApiKey key, String requestId,
            String saneUser, List<String> groups) {
        String token = issuer.issue(key, requestId, saneUser, groups);
        // The route already required scope chat; a key without it never gets here, and never gets a grant.
        String grant = createsBatch(exchange) && key.hasScope(InternalToken.SCOPE_CHAT)
                ? issuer.issueBatchGrant(key, requestId, saneUser, groups) : null;
        // The one rewrite of the forwarded request's headers: the client's key is replaced by the token here, and
        // the gateway's trace context is added (a client's own was removed before the server observation read it).
        return chain.filter(exchange.mutate().request(r -> r.headers(h -> {
            h.set(PlatformHttpHeaders.REQUEST_ID, requestId);
            h.remove(TENANT_HEADER);
            h.remove(PlatformHttpHeaders.BATCH_GRANT);
            if (grant != null) {
                h.set(PlatformHttpHeaders.BATCH_GRANT, grant);
            }
            if (!key.hasScope(InternalToken.SCOPE_EVALUATION)) {
                h.remove(PlatformHttpHeaders.EXPERIMENT_ARM);
            }
            h.setBearerAuth(token);
            traceContext.writeTo(exchange, h);
        })).build());
    }

    /** {@code POST /v1/batches}, on the one canonical spelling every request has by now (CanonicalPathFilter). */
    private static boolean createsBatch(ServerWebExchange exchange) {
        return HttpMethod.POST.equals(exchange.getRequest().getMethod())
                && BATCHES_PATH.equals(exchange.getRequest().getPath().value());
    }
}
