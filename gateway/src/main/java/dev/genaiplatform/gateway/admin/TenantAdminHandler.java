package dev.genaiplatform.gateway.admin;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.gateway.PlatformGatewayProperties.BudgetProperties;
import dev.genaiplatform.gateway.PlatformGatewayProperties.TenantBudget;
import dev.genaiplatform.gateway.budget.TenantBudgets;
import dev.genaiplatform.gateway.messaging.ApiKeyRevocations;
import dev.genaiplatform.gateway.messaging.TenantLimitChanges;
import dev.genaiplatform.gateway.problem.Problems;
import dev.genaiplatform.gateway.tenant.ApiKey;
import dev.genaiplatform.gateway.tenant.ApiKeyStore;
import dev.genaiplatform.gateway.tenant.ApiKeyStore.IssuedKey;
import dev.genaiplatform.gateway.tenant.ApiKeyStore.TenantRecord;
import dev.genaiplatform.gateway.tenant.Tenant;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The admin API for tenants, their limits and their keys (scope {@code admin}, under {@code /api/admin}). Bodies
 * are read strictly ({@link AdminRequests}) and refused whole before anything is written. A key is shown once, in
 * the answer that issues it; listings show ids, names, scopes and models only. Revoking (or rotating) takes effect
 * on this instance at once and on every other within about a second ({@link ApiKeyRevocations}), and so does a
 * change of a tenant's limits ({@link TenantLimitChanges}).
 */
public final class TenantAdminHandler {

    private final ApiKeyStore store;

    private final ApiKeyRevocations revocations;

    private final TenantLimitChanges limitChanges;

    private final BudgetProperties budgets;

    public TenantAdminHandler(ApiKeyStore store, ApiKeyRevocations revocations, TenantLimitChanges limitChanges,
            BudgetProperties budgets) {
        this.store = store;
        this.revocations = revocations;
        this.limitChanges = limitChanges;
        this.budgets = budgets;
    }

    /** {@code POST /api/admin/tenants}: 201, or 409 if the id is taken. */
    public Mono<ServerResponse> createTenant(ServerRequest request) {
        return body(request).map(AdminRequests::newTenant).flatMap(tenant -> blocking(() -> store.createTenant(tenant.id(),
                tenant.models(), tenant.rateLimit(), tenant.budget()))
            .flatMap(created -> created
                    ? ServerResponse.created(URI.create("/api/admin/tenants/" + tenant.id())).bodyValue(view(
                            new TenantRecord(new Tenant(tenant.id(), tenant.rateLimit(), tenant.budget()), tenant.models())))
                    : Mono.error(Problems.exception(ProblemType.CONFLICT, "Tenant '" + tenant.id() + "' exists already."))));
    }

    /** {@code GET /api/admin/tenants/{tenant}}: models, rate limit and the budgets in force. */
    public Mono<ServerResponse> getTenant(ServerRequest request) {
        String tenant = AdminRequests.pathId(request.pathVariable("tenant"), AdminRequests.TENANT_ID, "tenant");
        return blocking(() -> store.tenant(tenant)).flatMap(found -> found
            .map(record -> ServerResponse.ok().bodyValue(view(record)))
            .orElseGet(() -> Mono.error(noTenant(tenant))));
    }

    /**
     * {@code PUT /api/admin/tenants/{tenant}/limits}: {@code rate_limit} replaces the bucket, each {@code budget}
     * member present replaces that limit ({@code null}: back to configuration). 200 with the tenant as it is now.
     */
    public Mono<ServerResponse> updateLimits(ServerRequest request) {
        String tenant = AdminRequests.pathId(request.pathVariable("tenant"), AdminRequests.TENANT_ID, "tenant");
        return body(request).map(AdminRequests::limitsChange)
            .flatMap(change -> blocking(() -> store.tenant(tenant)).flatMap(found -> {
                if (found.isEmpty()) {
                    return Mono.error(noTenant(tenant));
                }
                return blocking(() -> store.updateLimits(tenant, change.rateLimit(), change.budget()));
            }))
            .flatMap(updated -> updated.map(record -> {
                limitChanges.changed(tenant, actor(request));
                return ServerResponse.ok().bodyValue(view(record));
            }).orElseGet(() -> Mono.error(noTenant(tenant))));
    }

    /** {@code GET /api/admin/tenants/{tenant}/keys}. */
    public Mono<ServerResponse> listKeys(ServerRequest request) {
        String tenant = AdminRequests.pathId(request.pathVariable("tenant"), AdminRequests.TENANT_ID, "tenant");
        return blocking(() -> store.keys(tenant)).flatMap(keys -> ServerResponse.ok().bodyValue(new KeyList(keys)));
    }

    /** {@code POST /api/admin/tenants/{tenant}/keys}: 201 with the key, shown this once. */
    public Mono<ServerResponse> issueKey(ServerRequest request) {
        String tenant = AdminRequests.pathId(request.pathVariable("tenant"), AdminRequests.TENANT_ID, "tenant");
        return body(request).map(AdminRequests::newKey)
            .flatMap(key -> blocking(() -> store.tenantModels(tenant)).flatMap(tenantModels -> {
                if (tenantModels.isEmpty()) {
                    return Mono.error(noTenant(tenant));
                }
                if (!tenantModels.get().containsAll(key.models())) {
                    return Mono.error(AdminRequests.invalid("models", "must be a subset of the tenant's models "
                            + tenantModels.get()));
                }
                return blocking(() -> store.issue(tenant, key.name(), key.scopes(), key.models()))
                    .flatMap(TenantAdminHandler::created);
            }));
    }

    /** {@code POST /api/admin/keys/{id}/rotate}: a new key with the same settings; the old one is revoked. */
    public Mono<ServerResponse> rotateKey(ServerRequest request) {
        String keyId = AdminRequests.pathId(request.pathVariable("id"), AdminRequests.KEY_ID, "id");
        return blocking(() -> store.rotate(keyId)).flatMap(issued -> issued
            .map(key -> {
                revocations.revoked(new ApiKeyStore.RevokedKey(keyId, key.tenantId()), actor(request));
                return created(key);
            })
            .orElseGet(() -> Mono.error(Problems.exception(ProblemType.NOT_FOUND, "No active key '" + keyId + "'."))));
    }

    /** {@code DELETE /api/admin/keys/{id}}: 204. */
    public Mono<ServerResponse> revokeKey(ServerRequest request) {
        String keyId = AdminRequests.pathId(request.pathVariable("id"), AdminRequests.KEY_ID, "id");
        return blocking(() -> store.revoke(keyId)).flatMap(revoked -> revoked
            .map(key -> {
                revocations.revoked(key, actor(request));
                return ServerResponse.noContent().build();
            })
            .orElseGet(() -> Mono.error(Problems.exception(ProblemType.NOT_FOUND, "No active key '" + keyId + "'."))));
    }

    private TenantView view(TenantRecord record) {
        Tenant tenant = record.tenant();
        Tenant.RateLimit limit = tenant.rateLimit();
        double perMinute = limit.requestsPerMinute();
        Number requestsPerMinute = perMinute == Math.rint(perMinute) ? (Number) (long) perMinute
                : BigDecimal.valueOf(perMinute).setScale(3, java.math.RoundingMode.HALF_UP);
        TenantBudget effective = TenantBudgets.effective(budgets, tenant);
        List<String> inherited = new ArrayList<>();
        if (tenant.budget().tokensPerMinute() == null) {
            inherited.add("tokens_per_minute");
        }
        if (tenant.budget().tokensPerDay() == null) {
            inherited.add("tokens_per_day");
        }
        if (tenant.budget().costPerMonthMicros() == null) {
            inherited.add("cost_per_month");
        }
        BigDecimal cost = plain(tenant.budget().costPerMonthMicros() != null
                ? BigDecimal.valueOf(tenant.budget().costPerMonthMicros(), 6)
                : BigDecimal.valueOf(effective.costPerMonth()));
        return new TenantView(tenant.id(), record.models(),
                new RateLimitView(limit.replenishRate(), limit.burstCapacity(), limit.requestedTokens(), requestsPerMinute,
                        limit.burst()),
                new BudgetView(effective.tokensPerMinute(), effective.tokensPerDay(), cost, inherited));
    }

    /** 100, not 1E+2: a JSON reader shows it as written. */
    private static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static Mono<byte[]> body(ServerRequest request) {
        return request.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]);
    }

    private static RuntimeException noTenant(String tenant) {
        return Problems.exception(ProblemType.NOT_FOUND, "No tenant '" + tenant + "'.");
    }

    private static Mono<ServerResponse> created(IssuedKey key) {
        return ServerResponse.status(HttpStatus.CREATED).bodyValue(key);
    }

    private static String actor(ServerRequest request) {
        return ApiKey.find(request.exchange()).map(ApiKey::id).orElse(null);
    }

    private static <T> Mono<T> blocking(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }

    /** A tenant as the admin API shows it: its rate limit both ways, and the budgets in force. */
    record TenantView(String id, List<String> models, @JsonProperty("rate_limit") RateLimitView rateLimit,
            BudgetView budget) {
    }

    record RateLimitView(@JsonProperty("replenish_rate") int replenishRate,
            @JsonProperty("burst_capacity") long burstCapacity, @JsonProperty("requested_tokens") int requestedTokens,
            @JsonProperty("requests_per_minute") Number requestsPerMinute, long burst) {
    }

    /** @param inherited the limits that come from configuration (or its defaults), not from the tenant itself */
    record BudgetView(@JsonProperty("tokens_per_minute") long tokensPerMinute,
            @JsonProperty("tokens_per_day") long tokensPerDay, @JsonProperty("cost_per_month") BigDecimal costPerMonth,
            List<String> inherited) {
    }

    record KeyList(List<ApiKeyStore.KeyView> data) {
    }
}
