package dev.genaiplatform.contracts.guardrails;

import java.util.List;

/**
 * The verdicts for a {@link JudgePassagesCommand}: one per text, in order, each carrying the fingerprint of the
 * policy that judged it.
 *
 * @param requestId as in the command
 * @param verdicts  one verdict per text of the command, in order
 */
public record PassagesJudgedReply(String requestId, List<PassageVerdict> verdicts) {

    public PassagesJudgedReply {
        verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
    }
}
