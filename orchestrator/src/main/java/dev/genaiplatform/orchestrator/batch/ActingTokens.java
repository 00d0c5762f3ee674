package dev.genaiplatform.orchestrator.batch;

import dev.genaiplatform.contracts.security.InternalToken;
import org.springframework.security.oauth2.jwt.Jwt;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway tokens batch work may act with, in memory only: per tenant and API key, the one that lives longest.
 * A line's trip through guardrails and retrieval needs a token they accept, and the creating request's expires in
 * minutes; every later call of the same key to the batch API (an SDK polling {@code GET /v1/batches/{id}}) brings a
 * fresh one. Never written to a store: a token at rest would be a credential at rest (see README, "Authority").
 */
final class ActingTokens {

    private final Duration margin;
    private final Map<String, Jwt> freshest = new ConcurrentHashMap<>();

    ActingTokens(Duration margin) {
        this.margin = margin;
    }

    /** Remembers a verified token if it outlives the one held for its tenant and key. */
    void offer(Jwt token) {
        if (token.getExpiresAt() == null) {
            return;
        }
        this.freshest.merge(key(token.getClaimAsString(InternalToken.CLAIM_TENANT), token.getSubject()), token,
                (held, offered) -> offered.getExpiresAt().isAfter(held.getExpiresAt()) ? offered : held);
    }

    /** The key was revoked: nothing of it may act any more. */
    void forget(String tenantId, String keyId) {
        this.freshest.remove(key(tenantId, keyId));
    }

    /**
     * A token of this tenant and key with at least the margin of life left: the candidate (the record's own) or the
     * freshest held; empty when neither will do.
     */
    Optional<Jwt> actingFor(String tenantId, String keyId, Jwt candidate) {
        Instant needed = Instant.now().plus(this.margin);
        Jwt held = this.freshest.get(key(tenantId, keyId));
        Jwt best = candidate;
        if (held != null && (best == null || held.getExpiresAt().isAfter(best.getExpiresAt()))) {
            best = held;
        }
        return best != null && best.getExpiresAt() != null && best.getExpiresAt().isAfter(needed)
                && tenantId.equals(best.getClaimAsString(InternalToken.CLAIM_TENANT)) && keyId.equals(best.getSubject())
                ? Optional.of(best) : Optional.empty();
    }

    private static String key(String tenantId, String keyId) {
        return tenantId + "\n" + keyId;
    }
}
