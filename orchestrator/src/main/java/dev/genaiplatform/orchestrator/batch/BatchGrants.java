package dev.genaiplatform.orchestrator.batch;

import dev.genaiplatform.contracts.http.PlatformHttpHeaders;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.orchestrator.chat.ChatCompletionException;
import dev.genaiplatform.orchestrator.security.Caller;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.util.Optional;

/**
 * Verifies the batch grant the gateway adds to {@code POST /v1/batches} ({@value PlatformHttpHeaders#BATCH_GRANT}):
 * a token signed like every internal token (same keys, {@code iss}, {@code aud}, live), with claim
 * {@code grant = batch}, for the tenant and the key of the request's own token. Anything else sent in that header is
 * refused with a 400 {@code invalid_header}: a request token is not a grant, and another tenant's or key's grant
 * would let a batch act as someone else.
 *
 * <p>No header at all is accepted (the explicit fallback, see README "Authority"): the batch then runs on the
 * tokens its key brings when it calls the batch API, as before the grant existed.
 */
final class BatchGrants {

    private final JwtDecoder decoder;

    BatchGrants(JwtDecoder decoder) {
        this.decoder = decoder;
    }

    /** The verified grant, empty when none was sent; throws a 400 problem for one that does not hold. */
    Optional<Jwt> verify(String header, Caller caller) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        Jwt grant;
        try {
            grant = this.decoder.decode(header.strip());
        }
        catch (JwtException invalid) {
            throw refused("it is not a valid internal token (" + invalid.getMessage() + ")");
        }
        if (!InternalToken.GRANT_BATCH.equals(grant.getClaimAsString(InternalToken.CLAIM_GRANT))) {
            throw refused("it is not a batch grant (claim '" + InternalToken.CLAIM_GRANT + "' must be '"
                    + InternalToken.GRANT_BATCH + "')");
        }
        if (!caller.tenantId().equals(grant.getClaimAsString(InternalToken.CLAIM_TENANT))
                || !caller.keyId().equals(grant.getSubject())) {
            throw refused("it was not issued for this request's tenant and API key");
        }
        return Optional.of(grant);
    }

    /** A grant kept with a batch, as a token to act with; null when there is none or it no longer verifies. */
    Jwt decodeStored(Optional<String> stored) {
        if (stored.isEmpty()) {
            return null;
        }
        try {
            return this.decoder.decode(stored.get());
        }
        catch (JwtException expiredOrWithdrawn) {
            return null;
        }
    }

    private static ChatCompletionException refused(String why) {
        return new ChatCompletionException(ProblemType.INVALID_HEADER,
                PlatformHttpHeaders.BATCH_GRANT + " refused: " + why + ".", PlatformHttpHeaders.BATCH_GRANT, null,
                null);
    }
}
