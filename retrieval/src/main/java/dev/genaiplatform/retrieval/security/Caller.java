package dev.genaiplatform.retrieval.security;

import dev.genaiplatform.contracts.security.InternalToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.List;

/**
 * Who is asking, as the verified internal token says: the only source of tenant, user and groups in this service
 * (no header, body field or Kafka payload can name a tenant).
 *
 * @param tenant the tenant claim
 * @param keyId  the API key id ({@code sub}), recorded as the actor in the audit log
 * @param user   the end user ({@code usr}), or null
 * @param groups the user's access groups; a file restricted to groups is visible only to a caller in one of them
 * @param token  the raw JWT, copied onto the Kafka records produced for this request
 */
public record Caller(String tenant, String keyId, String user, List<String> groups, String token) {

    public Caller {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    public static Caller of(Jwt jwt) {
        List<String> groups = jwt.hasClaim(InternalToken.CLAIM_GROUPS) ? jwt.getClaimAsStringList(InternalToken.CLAIM_GROUPS) : List.of();
        return new Caller(jwt.getClaimAsString(InternalToken.CLAIM_TENANT), jwt.getSubject(),
                jwt.getClaimAsString(InternalToken.CLAIM_USER), groups, jwt.getTokenValue());
    }

    /** The caller of the current HTTP request; the security filter chain guarantees there is one. */
    public static Caller current() {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken authentication) {
            return of(authentication.getToken());
        }
        throw new IllegalStateException("No verified internal token on this request");
    }
}
