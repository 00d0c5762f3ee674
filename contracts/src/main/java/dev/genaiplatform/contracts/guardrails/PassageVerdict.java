package dev.genaiplatform.contracts.guardrails;

import java.time.Instant;
import java.util.List;

/**
 * Guardrails' verdict about one retrieved passage as untrusted data, judged once when the passage was indexed and
 * stored beside it. It depends on the text and on the policy that judged it, so it names that policy by
 * {@code policyFingerprint}; a reader uses it only while the tenant's current fingerprint (on
 * {@link InputCheckedReply#untrustedDataPolicy()}) is the same, and asks guardrails again otherwise.
 *
 * @param verdict           allowed (put it in the prompt, fenced when {@code findings} is not empty) or blocked
 *                          (it carries instructions: leave it out)
 * @param injectionScore    the classifier's injection score in [0, 1]
 * @param findings          what was found, positions in the passage's text only
 * @param reason            why it was blocked, a sentence a user may see; null when allowed
 * @param policyFingerprint the fingerprint of the policy (name and content) it was judged under
 * @param judgedAt          when guardrails judged it
 */
public record PassageVerdict(Verdict verdict, Double injectionScore, List<Finding> findings, String reason,
                             String policyFingerprint, Instant judgedAt) {

    public PassageVerdict {
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /** Judged under exactly this policy; false when either side has no fingerprint. */
    public boolean judgedUnder(String currentFingerprint) {
        return verdict != null && policyFingerprint != null && policyFingerprint.equals(currentFingerprint);
    }
}
