package dev.genaiplatform.contracts.guardrails;

import java.util.List;

/**
 * Retrieval asks guardrails to judge the passages of one document as untrusted data while it indexes them, so a
 * chat request need not send them to guardrails again ({@link PassageVerdict}). Work that outlives any request
 * (ADR 0004): it carries no caller token; the broker's ACLs let only retrieval write this topic, and the tenant
 * named here only chooses the policy the verdicts are judged under.
 *
 * @param requestId an id for this ask (the document and version it is for), for logs and verdict events
 * @param tenantId  whose policy judges the passages; {@code _public} for the built-in corpus (the default policy)
 * @param texts     the passages' texts, judged one by one; the reply holds one verdict per text, in order
 */
public record JudgePassagesCommand(String requestId, String tenantId, List<String> texts) {

    public JudgePassagesCommand {
        texts = texts == null ? List.of() : List.copyOf(texts);
    }
}
