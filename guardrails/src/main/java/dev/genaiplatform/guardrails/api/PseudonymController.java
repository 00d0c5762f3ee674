package dev.genaiplatform.guardrails.api;

import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.guardrails.pseudonym.PseudonymVault;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Erases a conversation's pseudonym vault now, instead of at the end of its TTL: when the user deletes the
 * conversation or asks to be forgotten. Scope {@code chat} (the orchestrator acting for the user) or
 * {@code evaluation}; only the token's tenant's vault is touched. Idempotent: 204 whether or not anything was
 * stored.
 */
@RestController
class PseudonymController {

    static final String PATH = "/api/guardrails/conversations/{conversationId}/pseudonyms";

    private final PseudonymVault vault;

    PseudonymController(PseudonymVault vault) {
        this.vault = vault;
    }

    @DeleteMapping(PATH)
    ResponseEntity<Void> forget(@PathVariable String conversationId, @AuthenticationPrincipal Jwt token) {
        vault.forget(token.getClaimAsString(InternalToken.CLAIM_TENANT), conversationId);
        return ResponseEntity.noContent().build();
    }
}
