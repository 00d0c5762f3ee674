package dev.genaiplatform.contracts.guardrails;

import java.util.List;

/**
 * Asks guardrails to check text that did not come from the client: a window of a model's answer before it is
 * streamed on to the user, or a retrieved chunk or tool result before it is put in front of a model.
 *
 * <p>For a streamed answer the asker sends a bounded look-behind window (e.g. the last 400 characters up to and
 * including the newest chunk) each time it has a few new chunks, so a value split across chunks is still seen
 * whole; findings come back at offsets of the whole answer, and the asker holds back the unconfirmed tail.
 *
 * @param requestId      the chat request this belongs to
 * @param source         {@code answer} (model output), {@code retrieved-chunk} or {@code tool-result}
 *                       (untrusted data: scanned for indirect injection and wrapped for spotlighting)
 * @param text           the window or the whole chunk / tool result
 * @param offset         where {@code text} starts in the whole answer (UTF-16 index); 0 for other sources
 * @param canary         the canary token planted in the system prompt, null when none
 * @param systemPrompt   the system prompt, to catch long verbatim runs of it in an answer; null when none
 * @param allowedDomains hosts the answer may link to or load images from (subdomains included); others with
 *                       data in the URL count as exfiltration
 * @param conversationId the conversation whose pseudonyms to restore in an answer; null for none
 * @param policy         the policy name; null for the tenant's
 * @param texts          untrusted sources only: several texts (the passages of one search, say) checked one by one
 *                       in a single round trip, {@code text} then null; the reply's {@code items} holds one
 *                       verdict per text, in order. Null for a single text.
 */
public record CheckOutputCommand(
        String requestId,
        String source,
        String text,
        long offset,
        String canary,
        String systemPrompt,
        List<String> allowedDomains,
        String conversationId,
        String policy,
        List<String> texts) {

    /** A check of one text. */
    public CheckOutputCommand(String requestId, String source, String text, long offset, String canary,
                              String systemPrompt, List<String> allowedDomains, String conversationId, String policy) {
        this(requestId, source, text, offset, canary, systemPrompt, allowedDomains, conversationId, policy, null);
    }

    /** Several untrusted texts of one source, each checked on its own, in one round trip. */
    public static CheckOutputCommand untrusted(String requestId, String source, List<String> texts, String policy) {
        return new CheckOutputCommand(requestId, source, null, 0, null, null, List.of(), null, policy, List.copyOf(texts));
    }

    public static final String SOURCE_ANSWER = "answer";
    public static final String SOURCE_RETRIEVED_CHUNK = "retrieved-chunk";
    public static final String SOURCE_TOOL_RESULT = "tool-result";
}
