package dev.genaiplatform.orchestrator.security;

import dev.genaiplatform.contracts.security.InternalToken;
import org.springframework.security.oauth2.jwt.Jwt;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Who is asking, as the gateway's signed internal token says: the only source of the tenant, the key's
 * scopes and models, the end user and the request's deadline. Nothing here comes from a header or the body.
 *
 * @param tenantId  claim {@code tenant}
 * @param keyId     claim {@code sub}: the API key id
 * @param scopes    claim {@code scope}
 * @param models    claim {@code models}: the client-facing model names this key may use
 * @param requestId claim {@code rid}: the gateway's request id
 * @param userId    claim {@code usr}, null when the client named no user
 * @param groups    claim {@code groups}
 * @param deadline  claim {@code deadline}: work past it is wasted; null when absent
 * @param token     the raw JWT, copied onto every Kafka record produced for this request
 */
public record Caller(String tenantId, String keyId, Set<String> scopes, Set<String> models, String requestId,
                     String userId, List<String> groups, Instant deadline, String token) {

    public static Caller from(Jwt jwt) {
        String scope = jwt.getClaimAsString(InternalToken.CLAIM_SCOPE);
        List<String> models = jwt.getClaimAsStringList(InternalToken.CLAIM_MODELS);
        List<String> groups = jwt.getClaimAsStringList(InternalToken.CLAIM_GROUPS);
        Object deadline = jwt.getClaims().get(InternalToken.CLAIM_DEADLINE);
        return new Caller(jwt.getClaimAsString(InternalToken.CLAIM_TENANT), jwt.getSubject(),
                scope == null || scope.isBlank() ? Set.of() : Set.of(scope.trim().split("\\s+")),
                models == null ? Set.of() : Set.copyOf(models),
                jwt.getClaimAsString(InternalToken.CLAIM_REQUEST_ID),
                jwt.getClaimAsString(InternalToken.CLAIM_USER),
                groups == null ? List.of() : List.copyOf(groups),
                deadline instanceof Number millis ? Instant.ofEpochMilli(millis.longValue()) : null,
                jwt.getTokenValue());
    }

    public boolean mayUse(String model) {
        return this.models.contains(model);
    }
}
