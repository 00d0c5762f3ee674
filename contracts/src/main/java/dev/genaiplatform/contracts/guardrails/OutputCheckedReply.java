package dev.genaiplatform.contracts.guardrails;

import java.util.List;

/**
 * The verdict for a {@link CheckOutputCommand}.
 *
 * <ul>
 *   <li>{@code answer}: BLOCKED means stop the stream now and end it with an explicit guardrail event showing
 *       {@code reason} (never a silent cut); REDACTED means send {@code text} instead of the window (PII masked,
 *       pseudonyms restored); ALLOWED means send {@code text} (pseudonyms restored, else unchanged). A non-null
 *       {@code reason} on ALLOWED or REDACTED is a warning to show once beside the answer.</li>
 *   <li>{@code retrieved-chunk} / {@code tool-result}: BLOCKED means leave the chunk out (it carries
 *       instructions); otherwise put {@code text} in the prompt: it is wrapped in spotlighting delimiters.</li>
 * </ul>
 *
 * @param requestId      the chat request this belongs to
 * @param source         as in the command
 * @param verdict        allowed, redacted or blocked
 * @param text           what to use instead of the command's text; empty when blocked
 * @param findings       what was found, at offsets of the whole answer ({@code offset} added), without text;
 *                       {@code field} is the source
 * @param reason         a sentence a user may see: when blocked, why; when allowed or redacted, a warning to
 *                       show beside the answer (a policy action WARN); null when there is nothing to show
 * @param injectionScore the injection score of untrusted data; null for answers
 * @param items          for a command with {@code texts}: one verdict per text, in order (each with its own text,
 *                       findings and score; {@code verdict} above is then the strictest of them); null otherwise
 */
public record OutputCheckedReply(String requestId, String source, Verdict verdict, String text,
                                 List<Finding> findings, String reason, Double injectionScore,
                                 List<OutputCheckedReply> items) {

    /** The verdict about one text. */
    public OutputCheckedReply(String requestId, String source, Verdict verdict, String text,
                              List<Finding> findings, String reason, Double injectionScore) {
        this(requestId, source, verdict, text, findings, reason, injectionScore, null);
    }
}
