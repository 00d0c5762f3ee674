package dev.genaiplatform.tools.security;

import dev.genaiplatform.contracts.security.InternalToken;
import org.springframework.security.oauth2.jwt.Jwt;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is calling, as proven by the gateway's signed internal token: the only source of tenant, key, scopes and
 * user in this service (a payload field or an {@code X-Tenant-Id} header is never trusted).
 *
 * @param tenant    claim {@code tenant}
 * @param keyId     claim {@code sub}: the API key id
 * @param scopes    claim {@code scope}
 * @param user      claim {@code usr}, or null
 * @param requestId claim {@code rid}: the gateway request that minted the token
 * @param token     the raw token, forwarded on Kafka records produced for this call; null when the call is resumed
 *                  from the ledger without a live token
 */
public record Caller(String tenant, String keyId, Set<String> scopes, String user, String requestId, String token) {

    public static Caller of(Jwt jwt) {
        String tenant = jwt.getClaimAsString(InternalToken.CLAIM_TENANT);
        if (tenant == null || tenant.isBlank()) {
            throw new IllegalArgumentException("The token names no tenant");
        }
        String scope = jwt.getClaimAsString(InternalToken.CLAIM_SCOPE);
        Set<String> scopes = scope == null ? Set.of()
                : Arrays.stream(scope.trim().split("\\s+")).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        return new Caller(tenant, jwt.getSubject(), scopes, jwt.getClaimAsString(InternalToken.CLAIM_USER),
                jwt.getClaimAsString(InternalToken.CLAIM_REQUEST_ID), jwt.getTokenValue());
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** The person (or, without one, the key) a ledger entry names. */
    public String actor() {
        return user != null ? user : keyId;
    }
}
