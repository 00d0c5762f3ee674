package dev.genaiplatform.gateway.admin;

import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.gateway.problem.Problems;
import dev.genaiplatform.gateway.tenant.UserGroups;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The admin API for a tenant's user directory (scope {@code admin}): the access groups the gateway puts in the
 * internal token's {@code groups} claim when a request names the user in {@code X-User-Id}. A write takes effect on
 * this instance at once and on the others within {@code platform.gateway.key-cache-ttl} ({@link UserGroups}).
 */
public final class UserAdminHandler {

    private final UserGroups users;

    public UserAdminHandler(UserGroups users) {
        this.users = users;
    }

    /** {@code PUT /api/admin/tenants/{tenant}/users/{user}} {@code {"groups":[...]}}: 200 the stored view; 404 no tenant. */
    public Mono<ServerResponse> putUser(ServerRequest request) {
        String tenant = tenant(request);
        String user = user(request);
        return request.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).map(AdminRequests::userGroups)
            .flatMap(groups -> blocking(() -> users.put(tenant, user, groups)).flatMap(written -> written
                    ? ServerResponse.ok().bodyValue(new UserView(tenant, user, groups))
                    : Mono.error(Problems.exception(ProblemType.NOT_FOUND, "No tenant '" + tenant + "'."))));
    }

    /** {@code GET /api/admin/tenants/{tenant}/users/{user}}: 200 the stored view, or 404. */
    public Mono<ServerResponse> getUser(ServerRequest request) {
        String tenant = tenant(request);
        String user = user(request);
        return blocking(() -> users.find(tenant, user)).flatMap(found -> found
            .map(groups -> ServerResponse.ok().bodyValue(new UserView(tenant, user, groups)))
            .orElseGet(() -> Mono.error(noUser(tenant, user))));
    }

    /** {@code DELETE /api/admin/tenants/{tenant}/users/{user}}: 204, or 404 if there was no such user. */
    public Mono<ServerResponse> deleteUser(ServerRequest request) {
        String tenant = tenant(request);
        String user = user(request);
        return blocking(() -> users.delete(tenant, user)).flatMap(deleted -> deleted
                ? ServerResponse.noContent().build()
                : Mono.error(noUser(tenant, user)));
    }

    private static String tenant(ServerRequest request) {
        return AdminRequests.pathId(request.pathVariable("tenant"), AdminRequests.TENANT_ID, "tenant");
    }

    private static String user(ServerRequest request) {
        return AdminRequests.pathId(request.pathVariable("user"), UserGroups.USER_ID, "user");
    }

    private static RuntimeException noUser(String tenant, String user) {
        return Problems.exception(ProblemType.NOT_FOUND, "No user '" + user + "' in tenant '" + tenant + "'.");
    }

    private static <T> Mono<T> blocking(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }

    record UserView(@JsonProperty("tenant_id") String tenantId, @JsonProperty("user_id") String userId,
            List<String> groups) {
    }
}
