package dev.genaiplatform.gateway.admin;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.gateway.messaging.ApiKeyRevocations;
import dev.genaiplatform.gateway.problem.Problems;
import dev.genaiplatform.gateway.tenant.ApiKey;
import dev.genaiplatform.gateway.tenant.ApiKeyStore;
import dev.genaiplatform.gateway.tenant.ApiKeyStore.IssuedKey;
import dev.genaiplatform.gateway.tenant.Tenant;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The admin API for tenants and keys (scope {@code admin}, under {@code /api/admin}). A key is shown once, in
 * the answer that issues it; listings show ids, names, scopes and models only. Revoking (or rotating) takes
 * effect on this instance at once and on every other within about a second ({@link ApiKeyRevocations}).
 */
public final class TenantAdminHandler {

    private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");

    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");

    private static final Pattern NAME = Pattern.compile("[\\p{Alnum} ._:@-]{1,128}");

    private final ApiKeyStore store;

    private final ApiKeyRevocations revocations;

    public TenantAdminHandler(ApiKeyStore store, ApiKeyRevocations revocations) {
        this.store = store;
        this.revocations = revocations;
    }

    /** {@code POST /api/admin/tenants}: 201, or 409 if the id is taken. */
    public Mono<ServerResponse> createTenant(ServerRequest request) {
        return request.bodyToMono(NewTenant.class).switchIfEmpty(Mono.error(() -> invalid("body", "a JSON object is required")))
            .flatMap(body -> {
                String id = require(body.id(), TENANT_ID, "id");
                List<String> models = models(body.models(), "models");
                RateLimitBody limit = body.rateLimit();
                if (limit == null || limit.replenishRate() == null || limit.burstCapacity() == null) {
                    throw Problems.exception(ProblemType.MISSING_REQUIRED_PARAMETER,
                            "rate_limit.replenish_rate and rate_limit.burst_capacity are required.", "rate_limit");
                }
                int requested = limit.requestedTokens() == null ? 1 : limit.requestedTokens();
                if (limit.replenishRate() < 1 || limit.burstCapacity() < limit.replenishRate() || requested < 1
                        || requested > limit.burstCapacity()) {
                    throw invalid("rate_limit", "needs replenish_rate >= 1, burst_capacity >= replenish_rate and "
                            + "requested_tokens between 1 and burst_capacity");
                }
                Tenant.RateLimit rateLimit = new Tenant.RateLimit(limit.replenishRate(), limit.burstCapacity(), requested);
                return blocking(() -> store.createTenant(id, models, rateLimit)).flatMap(created -> created
                        ? ServerResponse.created(URI.create("/api/admin/tenants/" + id))
                            .bodyValue(new TenantView(id, models, body.rateLimit()))
                        : Mono.error(Problems.exception(ProblemType.CONFLICT, "Tenant '" + id + "' exists already.")));
            });
    }

    /** {@code GET /api/admin/tenants/{tenant}/keys}. */
    public Mono<ServerResponse> listKeys(ServerRequest request) {
        String tenant = require(request.pathVariable("tenant"), TENANT_ID, "tenant");
        return blocking(() -> store.keys(tenant)).flatMap(keys -> ServerResponse.ok().bodyValue(new KeyList(keys)));
    }

    /** {@code POST /api/admin/tenants/{tenant}/keys}: 201 with the key, shown this once. */
    public Mono<ServerResponse> issueKey(ServerRequest request) {
        String tenant = require(request.pathVariable("tenant"), TENANT_ID, "tenant");
        return request.bodyToMono(NewKey.class).switchIfEmpty(Mono.error(() -> invalid("body", "a JSON object is required")))
            .flatMap(body -> {
                String name = require(body.name(), NAME, "name");
                Set<String> scopes = scopes(body.scopes());
                List<String> models = models(body.models(), "models");
                return blocking(() -> store.tenantModels(tenant)).flatMap(tenantModels -> {
                    if (tenantModels.isEmpty()) {
                        return Mono.error(Problems.exception(ProblemType.NOT_FOUND, "No tenant '" + tenant + "'."));
                    }
                    if (!tenantModels.get().containsAll(models)) {
                        return Mono.error(invalid("models", "must be a subset of the tenant's models " + tenantModels.get()));
                    }
                    return blocking(() -> store.issue(tenant, name, scopes, models)).flatMap(TenantAdminHandler::created);
                });
            });
    }

    /** {@code POST /api/admin/keys/{id}/rotate}: a new key with the same settings; the old one is revoked. */
    public Mono<ServerResponse> rotateKey(ServerRequest request) {
        String keyId = require(request.pathVariable("id"), KEY_ID, "id");
        return blocking(() -> store.rotate(keyId)).flatMap(issued -> issued
            .map(key -> {
                revocations.revoked(new ApiKeyStore.RevokedKey(keyId, key.tenantId()), actor(request));
                return created(key);
            })
            .orElseGet(() -> Mono.error(Problems.exception(ProblemType.NOT_FOUND, "No active key '" + keyId + "'."))));
    }

    /** {@code DELETE /api/admin/keys/{id}}: 204. */
    public Mono<ServerResponse> revokeKey(ServerRequest request) {
        String keyId = require(request.pathVariable("id"), KEY_ID, "id");
        return blocking(() -> store.revoke(keyId)).flatMap(revoked -> revoked
            .map(key -> {
                revocations.revoked(key, actor(request));
                return ServerResponse.noContent().build();
            })
            .orElseGet(() -> Mono.error(Problems.exception(ProblemType.NOT_FOUND, "No active key '" + keyId + "'."))));
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

    private static String require(String value, Pattern pattern, String param) {
        if (value == null) {
            throw Problems.exception(ProblemType.MISSING_REQUIRED_PARAMETER, "Missing required parameter: '" + param + "'.", param);
        }
        if (!pattern.matcher(value).matches()) {
            throw invalid(param, "must match " + pattern.pattern());
        }
        return value;
    }

    private static Set<String> scopes(List<String> scopes) {
        if (scopes == null || scopes.isEmpty()) {
            throw Problems.exception(ProblemType.MISSING_REQUIRED_PARAMETER,
                    "A key needs at least one scope of " + InternalToken.ALL_SCOPES + ".", "scopes");
        }
        for (int i = 0; i < scopes.size(); i++) {
            if (!InternalToken.ALL_SCOPES.contains(scopes.get(i))) {
                throw invalid("scopes[" + i + "]", "must be one of " + InternalToken.ALL_SCOPES);
            }
        }
        return new LinkedHashSet<>(scopes);
    }

    private static List<String> models(List<String> models, String param) {
        if (models == null) {
            return List.of();
        }
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i) == null || !MODEL.matcher(models.get(i)).matches()) {
                throw invalid(param + "[" + i + "]", "must match " + MODEL.pattern());
            }
        }
        return List.copyOf(new LinkedHashSet<>(models));
    }

    private static RuntimeException invalid(String param, String rule) {
        return Problems.exception(ProblemType.INVALID_VALUE, "Invalid '" + param + "': " + rule + ".", param);
    }

    record NewTenant(String id, List<String> models, @JsonProperty("rate_limit") RateLimitBody rateLimit) {
    }

    record RateLimitBody(@JsonProperty("replenish_rate") Integer replenishRate,
            @JsonProperty("burst_capacity") Long burstCapacity,
            @JsonProperty("requested_tokens") Integer requestedTokens) {
    }

    record TenantView(String id, List<String> models, @JsonProperty("rate_limit") RateLimitBody rateLimit) {
    }

    record NewKey(String name, List<String> scopes, List<String> models) {
    }

    record KeyList(List<ApiKeyStore.KeyView> data) {
    }
}
