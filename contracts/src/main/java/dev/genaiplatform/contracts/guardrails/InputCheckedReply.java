package dev.genaiplatform.contracts.guardrails;

import java.util.List;

/**
 * The guardrails verdict for a {@link CheckInputCommand}. Everything the command carried that reaches a model
 * comes back, masked where needed: the caller forwards these values, never the originals.
 *
 * @param requestId            the chat request this verdict belongs to
 * @param verdict              allowed, redacted or blocked
 * @param messages             the messages to forward: redacted where needed; empty when blocked
 * @param findings             what the detectors found, without the sensitive text
 * @param reason               a sentence a client may see: when blocked, why; when allowed or redacted, a
 *                             warning to show the user beside the answer (a policy action WARN, e.g. where
 *                             to find help after a self-harm message); null when there is nothing to show
 * @param tools                the tool definitions to forward (masked where needed); empty when blocked
 * @param responseFormatSchema the response format schema to forward, null when none or blocked
 * @param stop                 the stop sequences to forward; empty when none or blocked
 * @param user                 the {@code user} field to forward, null when none or blocked
 * @param injectionScore       the prompt-injection score in [0, 1] (the highest over all checked texts); null
 *                             when the policy does not run the injection check
 * @param questionEmbedding    the embedding of the last user message as forwarded, when guardrails computed
 *                             exactly that one for its classifiers (so retrieval need not embed it again); null
 *                             otherwise
 * @param untrustedDataPolicy  the fingerprint of the policy guardrails judge this tenant's retrieved passages
 *                             under; a passage whose stored {@link PassageVerdict} names another (or none) is
 *                             sent to guardrails again. Null from a guardrails that does not say: every
 *                             passage is then checked per request
 */
public record InputCheckedReply(String requestId, Verdict verdict, List<ChatMessage> messages,
                                List<Finding> findings, String reason,
                                List<ToolDefinition> tools, String responseFormatSchema, List<String> stop,
                                String user, Double injectionScore,
                                dev.genaiplatform.contracts.retrieval.TextEmbedding questionEmbedding,
                                String untrustedDataPolicy) {

    /** A verdict without the untrusted-data policy's fingerprint. */
    public InputCheckedReply(String requestId, Verdict verdict, List<ChatMessage> messages,
                             List<Finding> findings, String reason,
                             List<ToolDefinition> tools, String responseFormatSchema, List<String> stop,
                             String user, Double injectionScore,
                             dev.genaiplatform.contracts.retrieval.TextEmbedding questionEmbedding) {
        this(requestId, verdict, messages, findings, reason, tools, responseFormatSchema, stop, user, injectionScore,
                questionEmbedding, null);
    }

    /** A verdict without a question embedding. */
    public InputCheckedReply(String requestId, Verdict verdict, List<ChatMessage> messages,
                             List<Finding> findings, String reason,
                             List<ToolDefinition> tools, String responseFormatSchema, List<String> stop,
                             String user, Double injectionScore) {
        this(requestId, verdict, messages, findings, reason, tools, responseFormatSchema, stop, user, injectionScore,
                null, null);
    }

    /** The same verdict naming the untrusted-data policy's fingerprint. */
    public InputCheckedReply withUntrustedDataPolicy(String fingerprint) {
        return new InputCheckedReply(requestId, verdict, messages, findings, reason, tools, responseFormatSchema, stop,
                user, injectionScore, questionEmbedding, fingerprint);
    }

    /** A verdict about messages alone. */
    public InputCheckedReply(String requestId, Verdict verdict, List<ChatMessage> messages,
                             List<Finding> findings, String reason) {
        this(requestId, verdict, messages, findings, reason, List.of(), null, List.of(), null, null);
    }
}
